package desk

// FieldMode is how the pre-chat form asks for one field. Off is the zero
// value, so settings made in code without a form have none; "off" is how
// the store and the API spell it.
type FieldMode string

const (
	FieldOff      FieldMode = ""
	FieldOptional FieldMode = "optional"
	FieldRequired FieldMode = "required"
)

// String is the mode as the store and the API spell it: off, optional or
// required.
func (m FieldMode) String() string {
	if m == FieldOff {
		return "off"
	}
	return string(m)
}

// ParseFieldMode reads "off", "optional" or "required".
func ParseFieldMode(s string) (FieldMode, error) {
	switch FieldMode(s) {
	case "off":
		return FieldOff, nil
	case FieldOptional, FieldRequired:
		return FieldMode(s), nil
	}
	return FieldOff, Errorf(CodeInvalid, "Each pre-chat field is off, optional or required")
}

// PreChatForm is Settings > Appearance > "Pre-chat form": what the widget
// asks before the visitor's first message. All off: no form.
type PreChatForm struct {
	Name, Email, Question FieldMode
}
