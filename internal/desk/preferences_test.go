package desk

import (
	"errors"
	"reflect"
	"testing"
)

func TestDefaultPreferences(t *testing.T) {
	p := DefaultPreferences(7)
	want := Preferences{OperatorID: 7, Sound: true, BrowserNotifications: true, TitleCount: true, NewTicket: true, Assigned: true, Message: true}
	if p != want {
		t.Fatalf("defaults %+v, want %+v", p, want)
	}
	if got := p.Events(); !reflect.DeepEqual(got, NotifyEvents) {
		t.Fatalf("default events %v, want %v", got, NotifyEvents)
	}
}

func TestCleanPreferencesPatch(t *testing.T) {
	on, off := true, false
	list := func(names ...string) *[]string { return &names }
	for _, tc := range []struct {
		name    string
		patch   PreferencesPatch
		want    Preferences // applied to the defaults
		invalid bool
	}{
		{name: "nothing", patch: PreferencesPatch{}, want: DefaultPreferences(1)},
		{name: "sound off", patch: PreferencesPatch{Sound: &off},
			want: Preferences{OperatorID: 1, BrowserNotifications: true, TitleCount: true, NewTicket: true, Assigned: true, Message: true}},
		{name: "browser and title off, sound on", patch: PreferencesPatch{Sound: &on, BrowserNotifications: &off, TitleCount: &off},
			want: Preferences{OperatorID: 1, Sound: true, NewTicket: true, Assigned: true, Message: true}},
		{name: "only assigned", patch: PreferencesPatch{Events: list("assigned")},
			want: Preferences{OperatorID: 1, Sound: true, BrowserNotifications: true, TitleCount: true, Assigned: true}},
		{name: "no events", patch: PreferencesPatch{Events: list()},
			want: Preferences{OperatorID: 1, Sound: true, BrowserNotifications: true, TitleCount: true}},
		{name: "twice counts once", patch: PreferencesPatch{Events: list("message", "message", "new_ticket")},
			want: Preferences{OperatorID: 1, Sound: true, BrowserNotifications: true, TitleCount: true, NewTicket: true, Message: true}},
		{name: "unknown event", patch: PreferencesPatch{Events: list("message", "shout")}, invalid: true},
		{name: "case matters", patch: PreferencesPatch{Events: list("Message")}, invalid: true},
		{name: "empty name", patch: PreferencesPatch{Events: list("")}, invalid: true},
	} {
		t.Run(tc.name, func(t *testing.T) {
			c, err := CleanPreferencesPatch(tc.patch)
			if tc.invalid {
				var de *Error
				if !errors.As(err, &de) || de.Code != CodeInvalid {
					t.Fatalf("err %v, want invalid", err)
				}
				if !c.Empty() {
					t.Fatalf("a refused patch gave a change %+v", c)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if got := c.Apply(DefaultPreferences(1)); got != tc.want {
				t.Fatalf("got %+v, want %+v", got, tc.want)
			}
		})
	}
}

func TestUnknownEventMessage(t *testing.T) {
	_, err := CleanPreferencesPatch(PreferencesPatch{Events: &[]string{"shout"}})
	if got, want := err.Error(), `Unknown notification event "shout": use new_ticket, assigned or message`; got != want {
		t.Fatalf("message %q, want %q", got, want)
	}
}

func TestPreferencesWants(t *testing.T) {
	p := Preferences{NewTicket: true, Message: true}
	for e, want := range map[NotifyEvent]bool{NotifyNewTicket: true, NotifyAssigned: false, NotifyMessage: true, "other": false} {
		if p.Wants(e) != want {
			t.Errorf("Wants(%q) = %v", e, !want)
		}
	}
	if got := p.Events(); !reflect.DeepEqual(got, []NotifyEvent{NotifyNewTicket, NotifyMessage}) {
		t.Fatalf("events %v", got)
	}
}
