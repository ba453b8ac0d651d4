package main

import (
	"fmt"
	"math/rand/v2"
	"time"

	"outputdesk/internal/desk"
	"outputdesk/internal/store/sqlstore"
)

// timeouts are the server's defaults, which the history's deadlines
// followed.
var timeouts = desk.Timeouts{Inactivity: 20 * time.Minute, Left: 20 * time.Minute}

var (
	pages = []desk.Page{
		{URL: "https://shop.example/", Title: "Shop — Home", Referrer: "https://www.google.com/"},
		{URL: "https://shop.example/product/4711", Title: "Trail running shoes", Referrer: "https://shop.example/"},
		{URL: "https://shop.example/pricing", Title: "Pricing", Referrer: "https://news.example/review"},
		{URL: "https://shop.example/checkout", Title: "Checkout", Referrer: "https://shop.example/cart"},
		{URL: "https://shop.example/help/returns", Title: "Returns", Referrer: ""},
	}
	openers = []string{
		"Hi, is this available in size 43?",
		"Hello! My order has not arrived yet, can you check?",
		"Do you ship to Norway?",
		"The payment page shows an error when I press pay.",
		"Can I return a pair I already wore once?",
	}
	replies = []string{
		"Hello! Let me check that for you.",
		"Thanks for waiting. Could you give me your order number?",
		"Yes, we do. Delivery takes three to five days.",
		"Sorry about that — I can see the problem and I'm fixing it now.",
	}
	followUps = []string{"Thank you!", "It's 58213.", "Great, that helps.", "OK, I'll try again later."}
	agents    = []string{
		"Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/137.0 Safari/537.36",
		"Mozilla/5.0 (iPhone; CPU iPhone OS 18_5 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/18.5 Mobile/15E148 Safari/604.1",
		"Mozilla/5.0 (X11; Linux x86_64; rv:140.0) Gecko/20100101 Firefox/140.0",
	}
)

// history makes the chats one after another, in the order a server would
// have written them: each starts a little after the one before.
type history struct {
	site   desk.Site
	ops    []desk.Operator
	from   time.Time
	step   time.Duration // between two chats' starts
	prefix string        // keeps visitor tokens apart between runs
	rng    *rand.Rand
	n      int            // chats made so far
	recent []desk.Visitor // visitors who may come back for another chat
}

func newHistory(site desk.Site, ops []desk.Operator, from, to time.Time, chats int, prefix string) *history {
	step := to.Sub(from) / time.Duration(max(chats, 1))
	// a fixed seed: the same history, but for its times, every run
	return &history{site: site, ops: ops, from: from, step: step, prefix: prefix, rng: rand.New(rand.NewPCG(1, 2))}
}

func (g *history) between(lo, hi time.Duration) time.Duration {
	return lo + time.Duration(g.rng.Int64N(int64(hi-lo)+1))
}

func pick[T any](g *history, from []T) T { return from[g.rng.IntN(len(from))] }

// visitor is a new visitor for every fifth chat, and otherwise one of the
// recent ones coming back.
func (g *history) visitor(h *sqlstore.History, at time.Time) (desk.Visitor, error) {
	if g.n%5 != 0 && len(g.recent) > 0 {
		return pick(g, g.recent), nil
	}
	v, err := h.AddVisitor(desk.Visitor{SiteID: g.site.ID, TokenHash: fmt.Sprintf("%s-%d", g.prefix, g.n),
		Name: fmt.Sprintf("Visitor %06X", g.rng.IntN(1<<24)), UserAgent: pick(g, agents), CreatedAt: at.Add(-g.between(time.Minute, 30*time.Minute))})
	if err != nil {
		return v, err
	}
	if len(g.recent) < 1000 {
		g.recent = append(g.recent, v)
	} else {
		g.recent[g.rng.IntN(len(g.recent))] = v
	}
	return v, nil
}

// next makes one ended chat with 3 or 4 lines and queues it: three in four
// answered by a history operator (ended by them, by the visitor, or for
// inactivity), the rest never answered (the visitor left, or gave up).
func (g *history) next(h *sqlstore.History) error {
	at := g.from.Add(time.Duration(g.n)*g.step + g.between(0, g.step))
	v, err := g.visitor(h, at)
	if err != nil {
		return err
	}
	client := func(k int) string { return fmt.Sprintf("h%d-%d", g.n, k) }
	c, msgs := desk.StartChat(desk.ChatStart{Visitor: v, Page: pick(g, pages),
		First: desk.Message{Author: desk.AuthorVisitor, Body: pick(g, openers), ClientID: client(1)}, Timeouts: timeouts}, at)
	var end desk.Ending
	switch r := g.rng.IntN(100); {
	case r < 75:
		op := pick(g, g.ops)
		taken, err := desk.Take(c, op, at.Add(g.between(10*time.Second, 2*time.Minute)))
		if err != nil {
			return err
		}
		c = taken.Chat
		t := c.AssignedAt.Add(g.between(5*time.Second, time.Minute))
		msgs = append(msgs, desk.Message{Author: desk.AuthorOperator, OperatorID: op.ID, Body: pick(g, replies), ClientID: client(2), CreatedAt: t})
		if g.rng.IntN(2) == 0 {
			t = t.Add(g.between(10*time.Second, 2*time.Minute))
			msgs = append(msgs, desk.Message{Author: desk.AuthorVisitor, Body: pick(g, followUps), ClientID: client(3), CreatedAt: t})
			c.VisitorActiveAt = t
		}
		switch {
		case r < 45:
			end = desk.Ending{By: desk.AuthorOperator, OperatorID: op.ID, OperatorName: op.Name, Reason: desk.EndCancel, At: t.Add(g.between(10*time.Second, 5*time.Minute))}
		case r < 60:
			end = desk.Ending{By: desk.AuthorVisitor, Reason: desk.EndCancel, At: t.Add(g.between(10*time.Second, 5*time.Minute))}
		default:
			end = desk.Ending{By: desk.AuthorSystem, Reason: desk.EndInactivity, At: c.VisitorActiveAt.Add(timeouts.Inactivity)}
		}
	case r < 90:
		left := at.Add(g.between(time.Minute, 10*time.Minute))
		ch := desk.VisitorLeft(c, left, left, timeouts)
		c, msgs = ch.Chat, append(msgs, ch.Lines...)
		end = desk.Ending{By: desk.AuthorSystem, Reason: desk.EndLeft, At: c.Deadline}
	default:
		t := at.Add(g.between(2*time.Minute, 5*time.Minute))
		msgs = append(msgs, desk.Message{Author: desk.AuthorVisitor, Body: "Anyone there?", ClientID: client(2), CreatedAt: t})
		c.VisitorActiveAt = t
		end = desk.Ending{By: desk.AuthorVisitor, Reason: desk.EndCancel, At: t.Add(g.between(time.Minute, 3*time.Minute))}
	}
	ended := desk.End(c, end)
	if _, err := h.AddChat(ended.Chat, append(msgs, ended.Lines...)); err != nil {
		return err
	}
	g.n++
	return nil
}
