package app_test

import (
	"bytes"
	"testing"
)

// Files across nodes (PostgreSQL and NATS): a file sent on node A reaches
// the other side on node B, which serves its bytes, and back; the limit an
// admin sets on one node is the limit on the other.
func TestNodesFiles(t *testing.T) {
	c := startCluster(t, 2)
	a, b := c.nodes[0], c.nodes[1]
	admin := c.setup()
	con := admin.on(b).console(nil, false)
	v := a.visitor("/demo/product")
	v.say("Here is the photo")
	admin.on(b).take(v.chatID)
	v.chatWith(v.chatID, "active", "Ada Admin")

	up := v.upload(v.chatID, "photo.png", pngFile, "")
	if up.status != 201 {
		t.Fatalf("upload on A: %d %s", up.status, up.body)
	}
	f := con.message("photo.png").obj("file")
	if f.str("type") != "image/png" {
		t.Fatalf("the console on B heard %v", f)
	}
	if r := admin.on(b).fetch(f.num("id")); r.status != 200 || !bytes.Equal(r.body, pngFile) {
		t.Fatalf("B serves the file sent on A: %d, %d bytes", r.status, len(r.body))
	}

	if r := admin.on(b).upload(v.chatID, "manual.pdf", pdfFile); r.status != 201 {
		t.Fatalf("upload on B: %d %s", r.status, r.body)
	}
	back := v.message("manual.pdf").obj("file")
	if r := v.fetch(back.num("id"), ""); r.status != 200 || !bytes.Equal(r.body, pdfFile) {
		t.Fatalf("A serves the file sent on B: %d, %d bytes", r.status, len(r.body))
	}

	admin.patchSettings(map[string]any{"max_file_bytes": 4096})
	con.nextType("settings.changed")
	if r := b.request("GET", "/api/visitor/files?site_key="+b.siteKey(), nil, nil); r.status != 200 || r.json().num("max_file_bytes") != 4096 {
		t.Fatalf("a widget's file settings on B after the limit changed on A: %d %s", r.status, r.body)
	}
	big := append(append([]byte{}, pdfFile...), bytes.Repeat([]byte("0"), 5000)...)
	if r := admin.on(b).upload(v.chatID, "big.pdf", big); r.status != 413 {
		t.Fatalf("B refuses a file over the limit set on A: %d %s", r.status, r.body)
	}
}
