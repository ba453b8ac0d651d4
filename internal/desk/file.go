package desk

import (
	"fmt"
	"slices"
	"strings"
	"time"
	"unicode/utf8"
)

// File is a file sent in a chat (issue 13, point 3). A chat message carries
// it; the bytes live in the store beside the message, so every node serves
// every file.
type File struct {
	ID     int64
	SiteID int64
	ChatID int64
	Name   string // as the sender named it, cleaned (FileName)
	// Type is the MIME type the server found in the content (SniffFile),
	// never the sender's word: what the file is served as.
	Type      string
	Size      int64
	Data      []byte // nil when only the description was read
	CreatedAt time.Time
}

// Upload is a file as a widget or console sends it: the client's retry id,
// the name it gave, and the bytes. Nothing else the client says about it
// (its Content-Type, its extension) counts.
type Upload struct {
	ClientID string
	Name     string
	Data     []byte
}

// DefaultMaxFileBytes is Settings' "Largest file" until an admin changes
// it: 10 MB.
const DefaultMaxFileBytes = 10 << 20

// MinMaxFileBytes and MaxMaxFileBytes bound "Largest file": a file is held
// in memory while it is checked and stored (in the database), so the
// ceiling is modest.
const (
	MinMaxFileBytes = 1 << 10
	MaxMaxFileBytes = 25 << 20
)

// MaxFileName bounds a file's name, in characters.
const MaxFileName = 200

// File types the server recognises by their content (SniffFile); an admin
// allows a subset of them.
const (
	TypePNG  = "image/png"
	TypeJPEG = "image/jpeg"
	TypeGIF  = "image/gif"
	TypeWebP = "image/webp"
	TypePDF  = "application/pdf"
	TypeText = "text/plain"
	TypeDOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
	TypeXLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
	TypePPTX = "application/vnd.openxmlformats-officedocument.presentationml.presentation"
	TypeODT  = "application/vnd.oasis.opendocument.text"
	TypeODS  = "application/vnd.oasis.opendocument.spreadsheet"
	TypeODP  = "application/vnd.oasis.opendocument.presentation"
	TypeDOC  = "application/msword"
	TypeXLS  = "application/vnd.ms-excel"
	TypePPT  = "application/vnd.ms-powerpoint"
)

// KnownFileTypes are every type the server can recognise, in the order the
// console lists them; they are also the default "Allowed file types". SVG
// and HTML are never among them: they can carry script.
var KnownFileTypes = []string{TypePNG, TypeJPEG, TypeGIF, TypeWebP, TypePDF, TypeText,
	TypeDOCX, TypeXLSX, TypePPTX, TypeODT, TypeODS, TypeODP, TypeDOC, TypeXLS, TypePPT}

// IsImage reports whether a file type is shown as a picture (inline).
func IsImage(fileType string) bool { return strings.HasPrefix(fileType, "image/") }

// CleanFileTypes checks an "Allowed file types" list: each one a known
// type, none twice; the result is in KnownFileTypes' order. An empty list
// allows no file at all: files are then off.
func CleanFileTypes(types []string) ([]string, error) {
	for _, t := range types {
		if !slices.Contains(KnownFileTypes, t) {
			return nil, Errorf(CodeInvalid, "Unknown file type %q: use %s", t, strings.Join(KnownFileTypes, ", "))
		}
	}
	out := []string{}
	for _, k := range KnownFileTypes {
		if slices.Contains(types, k) {
			out = append(out, k)
		}
	}
	return out, nil
}

// CheckMaxFileBytes checks "Largest file".
func CheckMaxFileBytes(n int64) error {
	if n < MinMaxFileBytes || n > MaxMaxFileBytes {
		return Errorf(CodeInvalid, "Largest file must be %d to %d bytes", MinMaxFileBytes, MaxMaxFileBytes)
	}
	return nil
}

// FileName cleans the name a sender gave a file: its last path element,
// without control characters, at most MaxFileName characters; "file" when
// nothing is left. It is shown and offered as the download's name, never
// used to decide what the file is.
func FileName(name string) string {
	if i := strings.LastIndexAny(name, `/\`); i >= 0 {
		name = name[i+1:]
	}
	name = strings.Map(func(r rune) rune {
		if r < 0x20 || r == 0x7f || r == utf8.RuneError {
			return -1
		}
		return r
	}, name)
	name = strings.TrimSpace(name)
	if utf8.RuneCountInString(name) > MaxFileName {
		name = string([]rune(name)[:MaxFileName])
	}
	if name == "" || name == "." || name == ".." {
		return "file"
	}
	return name
}

// TooLarge is the refusal of a file over the limit.
func TooLarge(limit int64) error {
	return Errorf(CodeTooLarge, "This file is larger than %s, the largest allowed", SizeText(limit))
}

// SizeText shows a number of bytes as people read it: "512 bytes",
// "34 KB", "2.5 MB" (1 KB = 1024 bytes, as the widget and console show it).
func SizeText(n int64) string {
	switch {
	case n < 1<<10:
		return fmt.Sprintf("%d bytes", n)
	case n < 1<<20:
		return fmt.Sprintf("%d KB", (n+512)>>10)
	default:
		s := fmt.Sprintf("%.1f", float64(n)/(1<<20))
		return strings.TrimSuffix(s, ".0") + " MB"
	}
}

// FileLimit is "Largest file" as it applies.
func (s Settings) FileLimit() int64 {
	if s.MaxFileBytes == 0 {
		return DefaultMaxFileBytes
	}
	return s.MaxFileBytes
}

// AllowedFileTypes is "Allowed file types" as it applies.
func (s Settings) AllowedFileTypes() []string {
	if s.FileTypes == nil {
		return KnownFileTypes
	}
	return s.FileTypes
}

// WriteFileAsVisitor checks a visitor's file against the chat they named:
// only their own chat (another's is not found, as for any chat of
// another visitor), and only while it is open, as for a message.
func WriteFileAsVisitor(c Chat, v Visitor, m Message, t Timeouts) (ChatChange, error) {
	if c.VisitorID != v.ID {
		return unchanged(c), NotFound("chat")
	}
	return WriteAsVisitor(c, m, t)
}

// ReadFileAsVisitor: a visitor reads only the files of their own chats.
func ReadFileAsVisitor(f File, c Chat, v Visitor) error {
	if c.VisitorID != v.ID || f.ChatID != c.ID {
		return NotFound("file")
	}
	return nil
}

// ReadFileAsOperator: any operator of the site reads any of its chats'
// files, as History shows them any chat.
func ReadFileAsOperator(f File, op Operator) error {
	if f.SiteID != op.SiteID {
		return NotFound("file")
	}
	return nil
}
