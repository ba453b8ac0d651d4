package main

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"strings"
	"time"

	"golang.org/x/crypto/bcrypt"

	"outputdesk/internal/desk"
	"outputdesk/internal/store/sqlstore"
)

// historyOperators is how many operators the history's chats are spread
// over; historyEmail names them apart from anyone a benchmark creates.
const historyOperators = 5

func historyEmail(i int) string { return fmt.Sprintf("history-%d@odseed.test", i) }

// seeder adds history to one store's first site.
type seeder struct {
	st   *sqlstore.DB
	site desk.Site
	ops  []desk.Operator
	now  time.Time
	out  io.Writer
}

func newSeeder(ctx context.Context, st *sqlstore.DB, o options, now time.Time, out io.Writer) (*seeder, error) {
	s := &seeder{st: st, now: now, out: out}
	// the site as the server makes it at its first start (app.bootstrap)
	site, err := st.EnsureSite(ctx, desk.Site{Key: "pk_" + randomHex(16), Name: "My website", AllowedOrigins: []string{"*"}, CreatedAt: now},
		desk.Settings{ChatRule: desk.ChatRuleManual, InvitationText: desk.DefaultInvitationText, InactivityTimeout: 20 * time.Minute, LeftTimeout: 20 * time.Minute})
	if err != nil {
		return nil, fmt.Errorf("site: %w", err)
	}
	s.site = site
	if err := s.firstAdmin(ctx, o.AdminEmail, o.AdminPassword); err != nil {
		return nil, err
	}
	if err := s.historyOperators(ctx); err != nil {
		return nil, err
	}
	return s, nil
}

// firstAdmin creates the admin the server would create at its first start
// (app.bootstrap), if no operator exists yet. The server creates one, and
// the console offers "Create admin account", only while no operator exists:
// once the history operators do, a store without an admin would let nobody
// in, so one is required then.
func (s *seeder) firstAdmin(ctx context.Context, email, password string) error {
	n, err := s.st.CountOperators(ctx)
	if err != nil || n > 0 {
		return err
	}
	if email == "" {
		return errors.New("this store has no operator yet: give its first admin with --admin-email and --admin-password " +
			"(or OUTPUTDESK_ADMIN_EMAIL and OUTPUTDESK_ADMIN_PASSWORD), since the server creates its first admin only on a store without operators")
	}
	admin := desk.Operator{SiteID: s.site.ID, Name: "Admin", Email: strings.TrimSpace(strings.ToLower(email)), Role: desk.RoleAdmin,
		PriorityLevel: 1, ChatLimit: 5, Status: desk.StatusOnline, CreatedAt: s.now}
	if err := desk.ValidateOperator(admin, password, true); err != nil {
		return fmt.Errorf("first admin: %w", err)
	}
	hash, err := bcrypt.GenerateFromPassword([]byte(password), bcrypt.DefaultCost)
	if err != nil {
		return err
	}
	admin.PasswordHash = string(hash)
	if _, err := s.st.CreateFirstOperator(ctx, admin); err != nil {
		return fmt.Errorf("first admin: %w", err)
	}
	fmt.Fprintf(s.out, "created the admin account %s\n", admin.Email)
	return nil
}

// historyOperators finds or creates the operators who answered the
// history. Offline with a chat limit of 0, routing never picks them, and
// a password hash that is no bcrypt hash lets nobody log in as them.
func (s *seeder) historyOperators(ctx context.Context) error {
	for i := 1; i <= historyOperators; i++ {
		op, err := s.st.OperatorByEmail(ctx, historyEmail(i))
		if errors.Is(err, desk.ErrNotFound) {
			op, err = s.st.CreateOperator(ctx, desk.Operator{SiteID: s.site.ID, Name: fmt.Sprintf("History Operator %d", i), Email: historyEmail(i),
				PasswordHash: "!", Role: desk.RoleOperator, PriorityLevel: desk.MaxPriorityLevel, ChatLimit: 0, Status: desk.StatusOffline, CreatedAt: s.now})
		}
		if err != nil {
			return fmt.Errorf("history operator %d: %w", i, err)
		}
		s.ops = append(s.ops, op)
	}
	return nil
}

// seed adds n ended chats, chunk chats per transaction, spread over the 90
// days before now in id order, as a server would have written them.
func (s *seeder) seed(ctx context.Context, n, chunk int) error {
	start := time.Now()
	g := newHistory(s.site, s.ops, s.now.Add(-90*24*time.Hour), s.now.Add(-time.Hour), n, "odseed-"+randomHex(6))
	lastNote := start
	for done := 0; done < n; {
		k := min(chunk, n-done)
		err := s.st.WriteHistory(ctx, func(h *sqlstore.History) error {
			for range k {
				if err := g.next(h); err != nil {
					return err
				}
			}
			return nil
		})
		if err != nil {
			return fmt.Errorf("after %d chats: %w", done, err)
		}
		done += k
		if time.Since(lastNote) > 2*time.Second || done == n {
			lastNote = time.Now()
			el := time.Since(start).Seconds()
			fmt.Fprintf(s.out, "%d of %d chats (%.0f s, %.0f chats/s)\n", done, n, el, float64(done)/max(el, 0.001))
		}
	}
	return nil
}

func randomHex(n int) string {
	b := make([]byte, n)
	rand.Read(b)
	return hex.EncodeToString(b)
}
