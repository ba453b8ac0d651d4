package settings

import (
	"outputdesk/internal/desk"
	"outputdesk/internal/protocol"
)

// applyFiles applies PATCH /api/settings's "Largest file" and "Allowed
// file types".
func applyFiles(set *desk.Settings, p protocol.FileSettingsPatch) error {
	if p.MaxFileBytes != nil {
		if err := desk.CheckMaxFileBytes(*p.MaxFileBytes); err != nil {
			return err
		}
		set.MaxFileBytes = *p.MaxFileBytes
	}
	if p.FileTypes != nil {
		types, err := desk.CleanFileTypes(*p.FileTypes)
		if err != nil {
			return err
		}
		set.FileTypes = types
	}
	return nil
}

// FileSettings are "Largest file" and "Allowed file types" as they apply.
func (s *Service) FileSettings() protocol.FileSettings {
	_, set := s.Site()
	return protocol.FileSettingsOf(set)
}
