package desk

// FieldMode is how the pre-chat form asks for one field.
type FieldMode string

const (
	FieldOff      FieldMode = "off"
	FieldOptional FieldMode = "optional"
	FieldRequired FieldMode = "required"
)

// PreChatForm is Settings > Appearance > "Pre-chat form": what the widget
// asks before the visitor's first message. All off: no form.
type PreChatForm struct {
	Name, Email, Question FieldMode
}

// Modes is the form with each field's mode spelled out: a field never set
// is off.
func (f PreChatForm) Modes() PreChatForm {
	for _, m := range []*FieldMode{&f.Name, &f.Email, &f.Question} {
		if *m == "" {
			*m = FieldOff
		}
	}
	return f
}

// CheckPreChatForm refuses a mode other than off, optional or required.
func CheckPreChatForm(f PreChatForm) error {
	for _, m := range []FieldMode{f.Name, f.Email, f.Question} {
		switch m {
		case FieldOff, FieldOptional, FieldRequired:
		default:
			return Errorf(CodeInvalid, "Each pre-chat field is off, optional or required")
		}
	}
	return nil
}
