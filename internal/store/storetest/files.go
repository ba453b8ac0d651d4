package storetest

import (
	"bytes"
	"errors"
	"reflect"
	"testing"

	"outputdesk/internal/desk"
	"outputdesk/internal/store"
)

func testFiles(t *testing.T, f *fixture) {
	anna := f.operator("Anna Berg", 1, 5)
	c := f.waitingChat(t0)
	f.take(c.ID, anna)
	// every byte value, so a text encoding of the column would show
	data := make([]byte, 70000)
	for i := range data {
		data[i] = byte(i * 7)
	}
	send := func(clientID string, decide func(c desk.Chat) (desk.ChatChange, error)) (desk.Message, bool, error) {
		m := desk.Message{Author: desk.AuthorVisitor, Body: "photo.png", ClientID: clientID, CreatedAt: t0,
			File: &desk.File{Name: "photo.png", Type: desk.TypePNG, Data: data, CreatedAt: t0}}
		_, stored, created, err := f.s.AddMessage(f.ctx, store.ChatRef{ID: c.ID}, m, decide)
		return stored, created, err
	}
	write := func(c desk.Chat) (desk.ChatChange, error) { return desk.ChatChange{Chat: c, Changed: true}, nil }
	stored, created, err := send("f1", write)
	f.must(err)
	want := desk.File{ID: stored.File.ID, SiteID: f.site.ID, ChatID: c.ID, Name: "photo.png", Type: desk.TypePNG, Size: int64(len(data)), CreatedAt: t0}
	if !created || stored.File == nil || stored.File.ID == 0 || stored.File.Data != nil || stored.File.Size != want.Size {
		t.Fatalf("stored %+v (created %v), want its file described without its bytes", stored, created)
	}

	got, err := f.s.File(f.ctx, stored.File.ID)
	f.must(err)
	if !bytes.Equal(got.Data, data) {
		t.Fatalf("the file's bytes came back different (%d bytes)", len(got.Data))
	}
	got.Data = nil
	if !reflect.DeepEqual(got, want) {
		t.Fatalf("File = %+v, want %+v", got, want)
	}
	msgs, err := f.s.Messages(f.ctx, c.ID, 1, 0)
	f.must(err)
	if len(msgs) != 1 || msgs[0].File == nil || msgs[0].File.ID != want.ID || msgs[0].File.Name != "photo.png" || msgs[0].File.Size != want.Size ||
		msgs[0].File.Type != desk.TypePNG || msgs[0].File.Data != nil {
		t.Fatalf("Messages = %+v, want the file described", msgs)
	}
	if first, _ := f.s.Messages(f.ctx, c.ID, 0, 1); first[0].File != nil {
		t.Errorf("a text message has a file: %+v", first[0].File)
	}

	// a retry stores no second file; a refused message stores none
	again, created, err := send("f1", write)
	f.must(err)
	if created || again.File == nil || again.File.ID != want.ID {
		t.Errorf("retry: %+v created %v, want the first file", again.File, created)
	}
	_, _, err = send("f2", func(c desk.Chat) (desk.ChatChange, error) {
		return desk.ChatChange{Chat: c}, desk.Errorf(desk.CodeEnded, "This chat has ended")
	})
	wantCode(t, err, desk.CodeEnded)
	if _, err := f.s.File(f.ctx, want.ID+1); !errors.Is(err, desk.ErrNotFound) {
		t.Errorf("a file after a retry and a refusal: %v, want none stored", err)
	}
	if all, _ := f.s.Messages(f.ctx, c.ID, 0, 0); len(all) != 2 {
		t.Errorf("%d messages, want 2", len(all))
	}
}

func testFileSettings(t *testing.T, f *fixture) {
	set, err := f.s.Settings(f.ctx, f.site.ID)
	f.must(err)
	if set.MaxFileBytes != 0 || set.FileTypes != nil || set.FileLimit() != desk.DefaultMaxFileBytes || len(set.AllowedFileTypes()) != len(desk.KnownFileTypes) {
		t.Fatalf("a new site's file settings: %d %v, want the defaults", set.MaxFileBytes, set.FileTypes)
	}
	for _, types := range [][]string{{desk.TypePNG, desk.TypePDF}, {}} {
		set.MaxFileBytes, set.FileTypes = 2048, types
		f.must(f.s.SaveSettings(f.ctx, f.site.ID, set))
		got, err := f.s.Settings(f.ctx, f.site.ID)
		f.must(err)
		if got.MaxFileBytes != 2048 || got.FileTypes == nil || !reflect.DeepEqual(got.FileTypes, types) {
			t.Errorf("saved %v, read %d %#v", types, got.MaxFileBytes, got.FileTypes)
		}
	}
}
