package desk

import (
	"strings"
	"time"
)

// Rating is the visitor's answer to "Rate this chat": good or bad, and an
// optional comment.
type Rating struct {
	ChatID     int64       `json:"chat_id"`
	VisitorID  int64       `json:"visitor_id"`
	OperatorID int64       `json:"operator_id,omitempty"` // the chat's operator, for whose consoles show it
	Value      RatingValue `json:"value"`
	Comment    string      `json:"comment,omitempty"`
	At         time.Time   `json:"at"`
}

// RatingValue is "good" or "bad".
type RatingValue string

const (
	RatingGood RatingValue = "good"
	RatingBad  RatingValue = "bad"
)

// MaxRatingComment bounds a rating's comment, in bytes.
const MaxRatingComment = 1000

// Rate decides a visitor's rating of their chat: only their own chat, once
// it has ended (the widget asks then). Rating again replaces the rating: a
// visitor may change their mind.
func Rate(c Chat, visitorID int64, value RatingValue, comment string, at time.Time) (Rating, error) {
	if c.VisitorID != visitorID {
		return Rating{}, NotFound("chat")
	}
	if c.State != ChatEnded {
		return Rating{}, Errorf(CodeInvalid, "A chat is rated once it has ended")
	}
	if value != RatingGood && value != RatingBad {
		return Rating{}, Errorf(CodeInvalid, "rating must be good or bad")
	}
	comment = strings.TrimSpace(comment)
	if len(comment) > MaxRatingComment {
		return Rating{}, Errorf(CodeTooLarge, "The comment is longer than %d bytes", MaxRatingComment)
	}
	return Rating{ChatID: c.ID, VisitorID: visitorID, OperatorID: c.OperatorID, Value: value, Comment: comment, At: at}, nil
}
