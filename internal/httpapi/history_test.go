package httpapi

import "testing"

func TestCSVCell(t *testing.T) {
	for in, want := range map[string]string{
		"":                    "",
		"Anna Berg":           "Anna Berg",
		"=HYPERLINK(\"x\")":   "'=HYPERLINK(\"x\")",
		"+1 555":              "'+1 555",
		"-2+3":                "'-2+3",
		"@SUM(A1)":            "'@SUM(A1)",
		"\t=1":                "'\t=1",
		"\r=1":                "'\r=1",
		"Ended by =Evil":      "Ended by =Evil",
		"http://x.test/?a=-1": "http://x.test/?a=-1",
		"12":                  "12",
	} {
		if got := csvCell(in); got != want {
			t.Errorf("csvCell(%q) = %q, want %q", in, got, want)
		}
	}
}
