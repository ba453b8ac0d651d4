package desk

import (
	"archive/zip"
	"bytes"
	"errors"
	"strings"
	"testing"
	"time"
)

var pngBytes = []byte("\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x06\x00\x00\x00\x1f\x15\xc4\x89")

func zipOf(t *testing.T, names ...string) []byte {
	var b bytes.Buffer
	zw := zip.NewWriter(&b)
	for _, n := range names {
		w, err := zw.CreateHeader(&zip.FileHeader{Name: n, Method: zip.Store})
		if err != nil {
			t.Fatal(err)
		}
		if n == "mimetype" {
			w.Write([]byte(TypeODS))
		} else {
			w.Write([]byte("<x/>"))
		}
	}
	zw.Close()
	return b.Bytes()
}

func TestSniffFile(t *testing.T) {
	ole := append(append([]byte{}, oleMagic...), make([]byte, 504)...)
	cases := []struct {
		name string
		data []byte
		want string // "" refused
	}{
		{"png", pngBytes, TypePNG},
		{"jpeg", []byte("\xff\xd8\xff\xe0\x00\x10JFIF\x00"), TypeJPEG},
		{"gif", []byte("GIF89a\x01\x00\x01\x00"), TypeGIF},
		{"webp", []byte("RIFF\x1a\x00\x00\x00WEBPVP8 "), TypeWebP},
		{"pdf", []byte("%PDF-1.4\n%\xe2\xe3\n1 0 obj"), TypePDF},
		{"text", []byte("Order 1234, please send it to Oslo.\n"), TypeText},
		{"docx", zipOf(t, "[Content_Types].xml", "_rels/.rels", "word/document.xml"), TypeDOCX},
		{"xlsx", zipOf(t, "[Content_Types].xml", "xl/workbook.xml"), TypeXLSX},
		{"pptx", zipOf(t, "[Content_Types].xml", "ppt/presentation.xml"), TypePPTX},
		{"ods", zipOf(t, "mimetype", "content.xml"), TypeODS},
		{"doc", append(append([]byte{}, ole...), utf16le("WordDocument")...), TypeDOC},
		{"xls", append(append([]byte{}, ole...), utf16le("Workbook")...), TypeXLS},
		{"ppt", append(append([]byte{}, ole...), utf16le("PowerPoint Document")...), TypePPT},
		{"html", []byte("<!DOCTYPE html><html><script>alert(1)</script>"), ""},
		{"svg", []byte(`<svg xmlns="http://www.w3.org/2000/svg" onload="alert(1)"/>`), ""},
		{"svg with xml declaration", []byte(`<?xml version="1.0"?><svg xmlns="http://www.w3.org/2000/svg"/>`), ""},
		{"svg after text", []byte("hello\n<svg onload=alert(1)>"), ""},
		{"exe", append([]byte("MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff"), make([]byte, 64)...), ""},
		{"plain zip", zipOf(t, "a.txt"), ""},
		{"ole without a known stream", ole, ""},
		{"text that is not UTF-8", []byte("caf\xe9 au lait"), ""},
	}
	for _, c := range cases {
		got, err := SniffFile(c.data, KnownFileTypes)
		if got != c.want || (c.want == "") != (err != nil) {
			t.Errorf("%s: got %q, %v; want %q", c.name, got, err, c.want)
		}
		if c.want == "" && CodeOf(err) != CodeUnsupported {
			t.Errorf("%s: code %s, want %s", c.name, CodeOf(err), CodeUnsupported)
		}
	}
	if _, err := SniffFile(pngBytes, []string{TypePDF}); CodeOf(err) != CodeUnsupported {
		t.Errorf("a PNG where only PDF is allowed: %v", err)
	}
	if _, err := SniffFile(nil, KnownFileTypes); CodeOf(err) != CodeInvalid {
		t.Errorf("an empty file: %v", err)
	}
}

func TestFileName(t *testing.T) {
	for in, want := range map[string]string{
		"photo.png": "photo.png", `C:\Users\ann\photo.png`: "photo.png", "../../etc/passwd": "passwd",
		"a\x00b\nc.txt": "abc.txt", "  ": "file", "..": "file",
	} {
		if got := FileName(in); got != want {
			t.Errorf("FileName(%q) = %q, want %q", in, got, want)
		}
	}
}

func TestFileAccess(t *testing.T) {
	c := Chat{ID: 4, SiteID: 1, VisitorID: 7, State: ChatActive}
	f := File{ID: 9, SiteID: 1, ChatID: 4}
	if err := ReadFileAsVisitor(f, c, Visitor{ID: 7}); err != nil {
		t.Errorf("own chat's file: %v", err)
	}
	if err := ReadFileAsVisitor(f, c, Visitor{ID: 8}); !errors.Is(err, ErrNotFound) {
		t.Errorf("another visitor's file: %v", err)
	}
	if err := ReadFileAsOperator(f, Operator{SiteID: 2}); !errors.Is(err, ErrNotFound) {
		t.Errorf("another site's operator: %v", err)
	}
	if _, err := WriteFileAsVisitor(c, Visitor{ID: 8}, Message{}, Timeouts{}); !errors.Is(err, ErrNotFound) {
		t.Errorf("a file into another visitor's chat: %v", err)
	}
	c.State = ChatEnded
	if _, err := WriteFileAsVisitor(c, Visitor{ID: 7}, Message{}, Timeouts{}); CodeOf(err) != CodeEnded {
		t.Errorf("a file into an ended chat: %v", err)
	}
	if got := SizeText(2621440); got != "2.5 MB" {
		t.Errorf("SizeText = %q", got)
	}
	if _, err := CleanFileTypes([]string{"image/svg+xml"}); CodeOf(err) != CodeInvalid {
		t.Errorf("svg allowed: %v", err)
	}
}

// FuzzSniffFile: whatever bytes a client sends, SniffFile answers a known
// type or a refusal, never panics, and never lets markup in as text.
func FuzzSniffFile(f *testing.F) {
	f.Add(pngBytes)
	f.Add([]byte("<svg onload=alert(1)>"))
	f.Add([]byte("PK\x03\x04\x14\x00\x00\x00\x00\x00"))
	f.Add(append(append([]byte{}, oleMagic...), utf16le("WordDocument")...))
	f.Add([]byte("plain text\n"))
	f.Fuzz(func(t *testing.T, data []byte) {
		got, err := SniffFile(data, KnownFileTypes)
		if err != nil {
			if got != "" {
				t.Fatalf("refused with a type %q", got)
			}
			return
		}
		if !IsImage(got) && got != TypeText && !strings.HasPrefix(got, "application/") {
			t.Fatalf("type %q is not one of the known ones", got)
		}
		if got == TypeText && looksLikeMarkup(data) {
			t.Fatalf("markup accepted as text: %q", data)
		}
	})
}

// The transcript lists a file by its name and size, not its bytes.
func TestTranscriptListsFiles(t *testing.T) {
	at := time.Date(2026, 11, 24, 15, 4, 0, 0, time.UTC)
	msgs := []Message{
		{Author: AuthorVisitor, Body: "photo.png", CreatedAt: at, File: &File{Name: "photo.png", Size: 34816}},
		{Author: AuthorOperator, OperatorName: "John Mathews", Body: "Thanks", CreatedAt: at},
	}
	got := TranscriptText(Chat{CreatedAt: at}, msgs, time.UTC)
	want := "[2026-11-24 15:04] You: File: photo.png (34 KB)\n[2026-11-24 15:04] John Mathews: Thanks\n"
	if !strings.HasSuffix(got, want) {
		t.Fatalf("transcript:\n%s\nwant it to end with:\n%s", got, want)
	}
}
