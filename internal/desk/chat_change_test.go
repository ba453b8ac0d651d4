package desk

import (
	"errors"
	"testing"
	"time"
)

var now = time.Date(2026, 11, 30, 12, 0, 0, 0, time.UTC)

func chatIn(state ChatState, opID int64, opName string) Chat {
	return Chat{ID: 7, SiteID: 1, VisitorID: 3, State: state, OperatorID: opID, OperatorName: opName, LastSeq: 4,
		CreatedAt: now.Add(-time.Hour), VisitorActiveAt: now.Add(-time.Minute), Deadline: now.Add(19 * time.Minute), DeadlineReason: EndInactivity}
}

var (
	anna  = Operator{ID: 10, SiteID: 1, Name: "Anna Berg", Role: RoleOperator}
	john  = Operator{ID: 11, SiteID: 1, Name: "John Mathews", Role: RoleOperator}
	admin = Operator{ID: 12, SiteID: 1, Name: "Ada Admin", Role: RoleAdmin}
	other = Operator{ID: 13, SiteID: 2, Name: "Elsewhere", Role: RoleAdmin}
)

func TestTake(t *testing.T) {
	for _, tc := range []struct {
		name    string
		chat    Chat
		op      Operator
		code    Code // "" for success
		changed bool
	}{
		{"a waiting ticket", chatIn(ChatWaiting, 0, ""), anna, "", true},
		{"one's own chat again", chatIn(ChatActive, anna.ID, anna.Name), anna, "", false},
		{"taken by another", chatIn(ChatActive, john.ID, john.Name), anna, CodeTaken, false},
		{"ended", chatIn(ChatEnded, 0, ""), anna, CodeEnded, false},
		{"another site's chat", chatIn(ChatWaiting, 0, ""), other, CodeNotFound, false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			ch, err := Take(tc.chat, tc.op, now)
			if CodeOf(err) != tc.code && !(tc.code == "" && err == nil) {
				t.Fatalf("err = %v, want %q", err, tc.code)
			}
			if ch.Changed != tc.changed {
				t.Fatalf("changed = %v", ch.Changed)
			}
			if tc.changed {
				c := ch.Chat
				if c.State != ChatActive || c.OperatorID != tc.op.ID || c.OperatorName != tc.op.Name || !c.AssignedAt.Equal(now) || !ch.Assigned ||
					ch.Routing == nil || ch.Routing.Text != "Taken by "+tc.op.Name || len(c.Routing) != 1 || len(tc.chat.Routing) != 0 {
					t.Fatalf("taken = %+v", ch)
				}
			}
		})
	}
	_, err := Take(chatIn(ChatActive, john.ID, john.Name), anna, now)
	if err.Error() != "This chat was already taken by John Mathews" {
		t.Fatalf("message = %q", err)
	}
}

func TestAssign(t *testing.T) {
	d := Decision{OperatorID: john.ID, OperatorName: john.Name, Kind: RoutedAutomatic, Text: "Automatic: priority 1, 1 of 2 chats"}
	room := Candidate{ID: john.ID, Name: john.Name, Status: StatusOnline, PriorityLevel: 1, ChatLimit: 2, Active: 1}
	full := room
	full.Active = 2
	away := room
	away.Status = StatusAway

	ch, err := Assign(chatIn(ChatWaiting, 0, ""), d, room, now)
	if err != nil || !ch.Changed || !ch.Assigned || ch.Chat.OperatorID != john.ID || ch.Chat.State != ChatActive || ch.Routing.Kind != RoutedAutomatic {
		t.Fatalf("with room: %+v %v", ch, err)
	}
	for name, target := range map[string]Candidate{"at the limit": full, "Away": away, "another operator": {ID: anna.ID, Status: StatusOnline, ChatLimit: 5}} {
		if ch, err := Assign(chatIn(ChatWaiting, 0, ""), d, target, now); !errors.Is(err, ErrNoRoom) || ch.Changed {
			t.Errorf("%s: %+v %v, want ErrNoRoom", name, ch, err)
		}
	}
	if ch, err := Assign(chatIn(ChatActive, anna.ID, anna.Name), d, room, now); err != nil || ch.Changed {
		t.Fatalf("a chat taken meanwhile: %+v %v", ch, err)
	}
	wait := Decision{Kind: RoutedNoRoom, Text: "Automatic: no operator has room", PassedOver: []string{"John Mathews: at chat limit 2/2"}}
	ch, err = Assign(chatIn(ChatWaiting, 0, ""), wait, Candidate{}, now)
	if err != nil || !ch.Changed || ch.Assigned || ch.Chat.State != ChatWaiting || len(ch.Chat.Routing) != 1 || ch.Chat.Routing[0].PassedOver[0] != wait.PassedOver[0] {
		t.Fatalf("a decision naming nobody: %+v %v", ch, err)
	}
}

func TestTransfer(t *testing.T) {
	active := chatIn(ChatActive, anna.ID, anna.Name)
	for _, tc := range []struct {
		name     string
		chat     Chat
		by, to   Operator
		toStatus Status
		code     Code
	}{
		{"by its operator", active, anna, john, StatusOnline, ""},
		{"by an admin", active, admin, john, StatusAway, ""},
		{"by someone else", active, john, admin, StatusOnline, CodeForbidden},
		{"to someone Offline", active, anna, john, StatusOffline, CodeInvalid},
		{"to its own operator", active, admin, anna, StatusOnline, CodeInvalid},
		{"a waiting chat", chatIn(ChatWaiting, 0, ""), anna, john, StatusOnline, CodeInvalid},
		{"an ended chat", chatIn(ChatEnded, anna.ID, anna.Name), anna, john, StatusOnline, CodeEnded},
		{"to another site's operator", active, anna, other, StatusOnline, CodeNotFound},
	} {
		t.Run(tc.name, func(t *testing.T) {
			ch, err := Transfer(tc.chat, tc.by, tc.to, tc.toStatus, now)
			if tc.code != "" {
				if CodeOf(err) != tc.code || ch.Changed {
					t.Fatalf("%+v %v, want %s", ch, err, tc.code)
				}
				return
			}
			want := tc.by.Name + " transferred the chat to " + tc.to.Name
			if err != nil || !ch.Assigned || ch.Chat.OperatorID != tc.to.ID || len(ch.Lines) != 1 || ch.Lines[0].Body != want || ch.Lines[0].Author != AuthorSystem {
				t.Fatalf("%+v %v", ch, err)
			}
		})
	}
}

func TestHandBackAndEnd(t *testing.T) {
	ch := HandBack(chatIn(ChatActive, john.ID, john.Name), john.ID, now)
	if !ch.Changed || ch.Chat.State != ChatWaiting || ch.Chat.OperatorID != 0 || ch.Chat.OperatorName != "" || !ch.Chat.AssignedAt.IsZero() ||
		ch.Lines[0].Body != "John Mathews went offline. The chat is waiting for another operator." || ch.Routing.Kind != RoutedHandedBack {
		t.Fatalf("hand back: %+v", ch)
	}
	for name, c := range map[string]Chat{"ended": chatIn(ChatEnded, john.ID, john.Name), "another's": chatIn(ChatActive, anna.ID, anna.Name), "waiting": chatIn(ChatWaiting, 0, "")} {
		if HandBack(c, john.ID, now).Changed {
			t.Errorf("handing back a chat %s changed it", name)
		}
	}

	ended := End(chatIn(ChatActive, anna.ID, anna.Name), Ending{By: AuthorVisitor, Reason: EndCancel, At: now})
	if !ended.Changed || ended.Chat.State != ChatEnded || !ended.Chat.Deadline.IsZero() || ended.Lines[0].Body != "Chat Ended" || ended.Chat.OperatorID != anna.ID {
		t.Fatalf("end: %+v", ended)
	}
	if End(ended.Chat, Ending{By: AuthorSystem, Reason: EndInactivity, At: now}).Changed {
		t.Fatal("ended twice")
	}
	if _, err := EndByOperator(chatIn(ChatActive, anna.ID, anna.Name), john, now); CodeOf(err) != CodeForbidden {
		t.Fatalf("John ends Anna's chat: %v", err)
	}
	for _, op := range []Operator{anna, admin} {
		if ch, err := EndByOperator(chatIn(ChatActive, anna.ID, anna.Name), op, now); err != nil || ch.Chat.EndedByOperatorName != op.Name {
			t.Fatalf("%s ends Anna's chat: %+v %v", op.Name, ch, err)
		}
	}
	if ch, err := EndByOperator(chatIn(ChatWaiting, 0, ""), john, now); err != nil || !ch.Changed {
		t.Fatalf("anyone ends a waiting ticket: %v", err)
	}
	if _, err := EndByVisitor(chatIn(ChatActive, anna.ID, anna.Name), Visitor{ID: 99}, now); CodeOf(err) != CodeNotFound {
		t.Fatalf("another visitor's chat: %v", err)
	}

	c := chatIn(ChatActive, anna.ID, anna.Name)
	if EndOverdue(c, c.Deadline.Add(-time.Millisecond)).Changed {
		t.Fatal("ended before its deadline")
	}
	if ch := EndOverdue(c, c.Deadline); !ch.Changed || ch.Chat.EndReason != EndInactivity || ch.Lines[0].Body != TextInactivityEnded {
		t.Fatalf("overdue: %+v", ch)
	}
}

func TestVisitorLeftAndWriting(t *testing.T) {
	tm := Timeouts{Inactivity: 20 * time.Minute, Left: 5 * time.Minute}
	c := chatIn(ChatActive, anna.ID, anna.Name)
	left := VisitorLeft(c, now, now, tm)
	if !left.Changed || !left.Chat.Deadline.Equal(now.Add(5*time.Minute)) || left.Chat.DeadlineReason != EndLeft || left.Lines[0].Body != TextVisitorLeft {
		t.Fatalf("left: %+v", left)
	}
	if VisitorLeft(left.Chat, now.Add(time.Second), now, tm).Changed {
		t.Fatal("leaving twice changed the chat")
	}
	back := VisitorLeft(left.Chat, time.Time{}, now.Add(time.Minute), tm)
	if !back.Changed || !back.Chat.Deadline.Equal(c.VisitorActiveAt.Add(20*time.Minute)) || back.Lines[0].Body != TextVisitorReturned {
		t.Fatalf("back: %+v", back)
	}

	w, err := WriteAsVisitor(c, Message{Author: AuthorVisitor, CreatedAt: now}, tm)
	if err != nil || !w.Chat.VisitorActiveAt.Equal(now) || !w.Chat.Deadline.Equal(now.Add(20*time.Minute)) {
		t.Fatalf("visitor writes: %+v %v", w, err)
	}
	if _, err := WriteAsVisitor(chatIn(ChatEnded, 0, ""), Message{}, tm); CodeOf(err) != CodeEnded {
		t.Fatalf("writing in an ended chat: %v", err)
	}
	if _, err := WriteAsOperator(c, john); CodeOf(err) != CodeForbidden {
		t.Fatalf("John writes in Anna's chat: %v", err)
	}
	if _, err := WriteAsOperator(chatIn(ChatWaiting, 0, ""), anna); CodeOf(err) != CodeForbidden {
		t.Fatalf("writing in a ticket: %v", err)
	}
	if w, err := WriteAsOperator(c, anna); err != nil || !w.Chat.Deadline.Equal(c.Deadline) {
		t.Fatalf("Anna writes: %+v %v", w, err)
	}
}

func TestStartChat(t *testing.T) {
	v := Visitor{ID: 3, SiteID: 1, Name: "Visitor ABC"}
	tm := Timeouts{Inactivity: 20 * time.Minute, Left: 5 * time.Minute}
	first := Message{Author: AuthorVisitor, Body: "Hi", ClientID: "c1"}
	c, msgs := StartChat(ChatStart{Visitor: v, Page: Page{URL: "/product"}, First: first, Timeouts: tm}, now)
	if c.State != ChatWaiting || c.StartedBy != AuthorVisitor || !c.CreatedAt.Equal(now) || !c.Deadline.Equal(now.Add(20*time.Minute)) || len(msgs) != 1 || !msgs[0].CreatedAt.Equal(now) {
		t.Fatalf("visitor's chat: %+v %+v", c, msgs)
	}
	inv := Invitation{ID: 5, Kind: InvitationManual, OperatorID: anna.ID, OperatorName: anna.Name, Text: "Hi from Anna"}
	c, msgs = StartChat(ChatStart{Visitor: v, First: first, Invitation: &inv, InviterOnline: true, Timeouts: tm}, now)
	if c.State != ChatActive || c.OperatorID != anna.ID || c.StartedBy != AuthorOperator || c.InvitationID != 5 || len(msgs) != 2 || msgs[0].OperatorName != anna.Name || msgs[0].Body != inv.Text {
		t.Fatalf("accepted manual invitation: %+v %+v", c, msgs)
	}
	c, _ = StartChat(ChatStart{Visitor: v, First: first, Invitation: &inv, InviterOnline: false, Timeouts: tm}, now)
	if c.State != ChatWaiting || c.StartedBy != AuthorOperator {
		t.Fatalf("manual invitation whose operator is gone: %+v", c)
	}
	auto := Invitation{ID: 6, Kind: InvitationAutomated, Text: "Need help?"}
	c, msgs = StartChat(ChatStart{Visitor: v, First: first, Invitation: &auto, Timeouts: tm}, now)
	if c.State != ChatWaiting || msgs[0].Author != AuthorSystem || msgs[0].Body != "Need help?" {
		t.Fatalf("automated invitation: %+v %+v", c, msgs)
	}
}
