package httpapi

import (
	"crypto/sha256"
	"encoding/base64"
	"errors"
	"io"
	"io/fs"
	"log/slog"
	"mime"
	"net/http"
	"path"
	"strconv"
	"strings"
	"time"
)

// The built console and widget (web/dist) are served precompressed: `npm run
// build` writes NAME.br and NAME.gz beside each file (web/compress.mjs), and
// the server picks the stored variant the request accepts. Nothing is
// compressed or hashed per request: the index below is built once, at start.

// codings are the content codings a file may be stored in, in the server's
// order of preference: brotli is the smaller, so it wins a tie.
var codings = []struct{ name, ext string }{{"br", ".br"}, {"gzip", ".gz"}}

// variant is a file in one encoding.
type variant struct {
	coding string // "" for the file as built (identity)
	data   string
	etag   string // quoted, strong: a hash of these very bytes
}

// asset is a file of dist/ in every encoding it is stored in.
type asset struct {
	name     string // base name, for ServeContent's ranges and errors
	ctype    string
	identity variant
	encoded  []variant // in codings order
}

// assetIndex is dist/ by path ("widget/widget.js").
type assetIndex map[string]*asset

// loadAssets reads every file under root of fsys with its .br and .gz
// variants. A missing root gives an empty index: the handlers then say the
// web build is missing.
func loadAssets(fsys fs.FS, root string) (assetIndex, error) {
	idx := assetIndex{}
	if fsys == nil {
		return idx, nil
	}
	err := fs.WalkDir(fsys, root, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if d.IsDir() || strings.HasSuffix(p, ".br") || strings.HasSuffix(p, ".gz") {
			return nil
		}
		data, err := fs.ReadFile(fsys, p)
		if err != nil {
			return err
		}
		a := &asset{name: path.Base(p), ctype: mime.TypeByExtension(path.Ext(p)), identity: newVariant("", data)}
		for _, c := range codings {
			enc, err := fs.ReadFile(fsys, p+c.ext)
			if errors.Is(err, fs.ErrNotExist) {
				continue
			}
			if err != nil {
				return err
			}
			a.encoded = append(a.encoded, newVariant(c.name, enc))
		}
		idx[strings.TrimPrefix(p, root+"/")] = a
		return nil
	})
	if errors.Is(err, fs.ErrNotExist) {
		return idx, nil
	}
	return idx, err
}

func newVariant(coding string, data []byte) variant {
	sum := sha256.Sum256(data)
	return variant{coding: coding, data: string(data), etag: `"` + base64.RawURLEncoding.EncodeToString(sum[:18]) + `"`}
}

// choose is the variant for a request's Accept-Encoding: the highest q,
// and on a tie the earlier of br, gzip, identity (the smaller). When nothing
// stored is acceptable, the file as built is sent all the same.
func (a *asset) choose(r *http.Request) variant {
	if len(a.encoded) == 0 {
		return a.identity
	}
	accept := parseAcceptEncoding(r.Header.Values("Accept-Encoding"))
	best, bestQ := a.identity, 0.0
	for _, v := range append(a.encoded[:len(a.encoded):len(a.encoded)], a.identity) {
		coding := v.coding
		if coding == "" {
			coding = "identity"
		}
		if q := accept.q(coding); q > bestQ {
			best, bestQ = v, q
		}
	}
	return best
}

// serveAsset sends the file at p of dist/ in the encoding the request
// prefers, with a strong ETag per encoding; If-None-Match gets 304. The
// file as built goes through http.ServeContent (ranges, HEAD, conditions);
// an encoded variant is sent whole, since a range of compressed bytes is of
// no use to a browser.
func (s *server) serveAsset(w http.ResponseWriter, r *http.Request, p string) {
	a := s.static[p]
	if a == nil {
		http.Error(w, "not built: run `make web`", http.StatusNotFound)
		return
	}
	h := w.Header()
	if len(a.encoded) > 0 {
		h.Add("Vary", "Accept-Encoding")
	}
	v := a.choose(r)
	h.Set("ETag", v.etag)
	if v.coding == "" {
		http.ServeContent(w, r, a.name, time.Time{}, strings.NewReader(v.data))
		return
	}
	if etagListed(r.Header.Get("If-None-Match"), v.etag) {
		w.WriteHeader(http.StatusNotModified)
		return
	}
	h.Set("Content-Encoding", v.coding)
	h.Set("Content-Type", a.ctype)
	h.Set("Content-Length", strconv.Itoa(len(v.data)))
	w.WriteHeader(http.StatusOK)
	if r.Method != http.MethodHead {
		io.WriteString(w, v.data) // the server's writer takes a string without a copy
	}
}

// acceptEncoding is a parsed Accept-Encoding: coding → q, star the q of "*"
// (-1 when absent).
type acceptEncoding struct {
	byCoding map[string]float64
	star     float64
}

// parseAcceptEncoding reads RFC 9110's "coding;q=0.5, *;q=0" list. A
// malformed q counts as 0: that coding is not used.
func parseAcceptEncoding(values []string) acceptEncoding {
	a := acceptEncoding{byCoding: map[string]float64{}, star: -1}
	for _, v := range values {
		for _, item := range strings.Split(v, ",") {
			coding, params, _ := strings.Cut(item, ";")
			coding = strings.ToLower(strings.TrimSpace(coding))
			if coding == "" {
				continue
			}
			if coding == "x-gzip" {
				coding = "gzip"
			}
			q := 1.0
			for _, p := range strings.Split(params, ";") {
				k, val, ok := strings.Cut(p, "=")
				if !ok || !strings.EqualFold(strings.TrimSpace(k), "q") {
					continue
				}
				f, err := strconv.ParseFloat(strings.TrimSpace(val), 64)
				if err != nil || f < 0 || f > 1 {
					f = 0
				}
				q = f
			}
			if coding == "*" {
				a.star = q
			} else {
				a.byCoding[coding] = q
			}
		}
	}
	return a
}

// implicitIdentity ranks identity when the header does not name it: still
// acceptable (RFC 9110 12.5.3), but below any q a client can write (the
// least is 0.001), so "br;q=0.5" gets br.
const implicitIdentity = 0.0005

// q is how acceptable coding is: its own q, else that of "*", else 0 — but
// identity is acceptable unless excluded by name or by "*;q=0".
func (a acceptEncoding) q(coding string) float64 {
	if q, ok := a.byCoding[coding]; ok {
		return q
	}
	if a.star >= 0 {
		return a.star
	}
	if coding == "identity" {
		return implicitIdentity
	}
	return 0
}

// etagListed says whether If-None-Match names etag (or is "*"); the
// comparison is the weak one RFC 9110 prescribes for If-None-Match.
func etagListed(header, etag string) bool {
	for _, t := range strings.Split(header, ",") {
		t = strings.TrimSpace(t)
		if t == "*" || strings.TrimPrefix(t, "W/") == etag {
			return true
		}
	}
	return false
}

// loadStatic indexes web/dist of assets; a broken embed is logged, and the
// files it lacks are then answered 404.
func loadStatic(assets fs.FS, log *slog.Logger) assetIndex {
	idx, err := loadAssets(assets, "dist")
	if err != nil && log != nil {
		log.Error("reading the built console and widget", "err", err)
	}
	return idx
}
