package desk

import (
	"archive/zip"
	"bytes"
	"io"
	"net/http"
	"slices"
	"strings"
	"unicode/utf8"
)

// SniffFile decides what a file is from its bytes alone — never from its
// name or the sender's Content-Type, which anyone can set — and whether
// the site allows it. It returns one of KnownFileTypes. What the standard
// sniffer (net/http.DetectContentType) cannot tell apart, it looks into:
// the parts list of a zip for the office formats, the streams of an OLE
// compound file for the older ones.
func SniffFile(data []byte, allowed []string) (string, error) {
	if len(data) == 0 {
		return "", Errorf(CodeInvalid, "The file is empty")
	}
	t := sniff(data)
	if t == "" || !slices.Contains(allowed, t) {
		return "", Errorf(CodeUnsupported, "This type of file is not allowed")
	}
	return t, nil
}

// sniff names a known type, or "".
func sniff(data []byte) string {
	if bytes.HasPrefix(data, oleMagic) {
		return sniffOLE(data)
	}
	mt, _, _ := strings.Cut(http.DetectContentType(data), ";")
	switch mt {
	case TypePNG, TypeJPEG, TypeGIF, TypeWebP, TypePDF:
		return mt
	case "application/zip":
		return sniffZip(data)
	case TypeText:
		if utf8.Valid(data) && !looksLikeMarkup(data) {
			return TypeText
		}
	}
	return ""
}

// looksLikeMarkup: text that a browser could take for HTML or SVG (which
// DetectContentType calls text/plain when it starts with <svg) is not
// plain text here, even though it is only ever served as text/plain.
func looksLikeMarkup(data []byte) bool {
	head := bytes.ToLower(data[:min(len(data), 1024)])
	if t := bytes.TrimLeft(head, "\ufeff \t\r\n"); len(t) > 0 && t[0] == '<' {
		return true
	}
	for _, tag := range []string{"<svg", "<html", "<script"} {
		if bytes.Contains(head, []byte(tag)) {
			return true
		}
	}
	return false
}

// sniffZip tells the office formats, which are zip files, by their parts:
// OpenDocument names its type in a first "mimetype" entry; Office Open XML
// has [Content_Types].xml and a main part per kind. Any other zip is "".
func sniffZip(data []byte) string {
	zr, err := zip.NewReader(bytes.NewReader(data), int64(len(data)))
	if err != nil {
		return ""
	}
	parts := map[string]bool{}
	for _, f := range zr.File {
		if f.Name == "mimetype" {
			if t := odfType(f); t != "" {
				return t
			}
		}
		parts[f.Name] = true
	}
	if !parts["[Content_Types].xml"] {
		return ""
	}
	switch {
	case parts["word/document.xml"]:
		return TypeDOCX
	case parts["xl/workbook.xml"]:
		return TypeXLSX
	case parts["ppt/presentation.xml"]:
		return TypePPTX
	}
	return ""
}

// odfType reads an OpenDocument's "mimetype" entry (a few dozen bytes: no
// more is read, however large the entry claims to be).
func odfType(f *zip.File) string {
	r, err := f.Open()
	if err != nil {
		return ""
	}
	defer r.Close()
	b, _ := io.ReadAll(io.LimitReader(r, 100))
	switch t := string(b); t {
	case TypeODT, TypeODS, TypeODP:
		return t
	}
	return ""
}

var oleMagic = []byte{0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1}

// sniffOLE tells the older office formats, OLE compound files, by the name
// of their main stream, which the file's directory holds in UTF-16LE: an
// OLE file without one (an installer, a mail store) is "".
func sniffOLE(data []byte) string {
	for _, s := range []struct{ stream, t string }{
		{"WordDocument", TypeDOC}, {"Workbook", TypeXLS}, {"PowerPoint Document", TypePPT},
	} {
		if bytes.Contains(data, utf16le(s.stream)) {
			return s.t
		}
	}
	return ""
}

func utf16le(s string) []byte {
	out := make([]byte, 0, 2*len(s))
	for i := 0; i < len(s); i++ {
		out = append(out, s[i], 0)
	}
	return out
}
