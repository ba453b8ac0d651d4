package protocol

import "outputdesk/internal/desk"

// File is what a message says of the file it sends: fetch its bytes from
// GET /api/visitor/files/{id} (widget) or GET /api/files/{id} (console).
type File struct {
	ID   int64  `json:"id"`
	Name string `json:"name"`
	Type string `json:"type"`
	Size int64  `json:"size"`
}

func fileOf(f *desk.File) *File {
	if f == nil {
		return nil
	}
	return &File{ID: f.ID, Name: f.Name, Type: f.Type, Size: f.Size}
}

// FileSettings are Settings' "Largest file" and "Allowed file types"; a
// widget asks for them (GET /api/visitor/files) to refuse a file over the
// limit before sending it.
type FileSettings struct {
	MaxFileBytes int64    `json:"max_file_bytes"`
	FileTypes    []string `json:"file_types"`
}

func FileSettingsOf(s desk.Settings) FileSettings {
	return FileSettings{MaxFileBytes: s.FileLimit(), FileTypes: s.AllowedFileTypes()}
}

// FileSettingsPatch is PATCH /api/settings's part for files.
type FileSettingsPatch struct {
	MaxFileBytes *int64    `json:"max_file_bytes"`
	FileTypes    *[]string `json:"file_types"`
}

// UploadReply answers an upload: the message that sends the file, as the
// message frames carry it.
type UploadReply struct {
	Message Message `json:"message"`
}
