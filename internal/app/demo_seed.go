package app

import (
	"context"
	"fmt"

	"outputdesk/internal/bus"
	"outputdesk/internal/desk"
)

// seedDemo sets up the seed's example on a fresh data dir (`--demo`):
// John Mathews (priority 1, chat limit 2), Anna Berg (2, 3), Maria Lopez
// (3, 3), the Automatic chat rule, and the action rule "Product page": URL
// contains /product → John Mathews. On a data dir that already has
// operators it changes nothing.
func (a *App) seedDemo(ctx context.Context, fresh bool) error {
	if !fresh {
		fmt.Fprintln(a.out, "--demo: the data dir already has operators; nothing seeded")
		return nil
	}
	if a.cfg.AdminEmail == "" {
		if _, err := a.accounts.Create(ctx, desk.Operator{Name: "Admin", Email: "admin@example.com", Role: desk.RoleAdmin, PriorityLevel: 9, ChatLimit: 3}, "demo-admin", true); err != nil {
			return err
		}
		fmt.Fprintln(a.out, "Demo admin: admin@example.com / demo-admin")
	}
	people := []struct {
		name, email string
		prio, limit int
	}{
		{"John Mathews", "john@example.com", 1, 2},
		{"Anna Berg", "anna@example.com", 2, 3},
		{"Maria Lopez", "maria@example.com", 3, 3},
	}
	const password = "demo-password"
	var john desk.Operator
	for _, p := range people {
		op, err := a.accounts.Create(ctx, desk.Operator{Name: p.name, Email: p.email, Role: desk.RoleOperator, PriorityLevel: p.prio, ChatLimit: p.limit}, password, false)
		if err != nil {
			return err
		}
		if john.ID == 0 {
			john = op
		}
		fmt.Fprintf(a.out, "Demo operator: %s <%s> / %s (priority %d, chat limit %d)\n", p.name, p.email, password, p.prio, p.limit)
	}
	site, set := a.siteNow()
	set.ChatRule = desk.ChatRuleAutomatic
	if err := a.store.SaveSettings(ctx, site.ID, set); err != nil {
		return err
	}
	_, err := a.store.CreateActionRule(ctx, desk.ActionRule{SiteID: site.ID, Name: "Product page", Enabled: true, TargetOperatorID: john.ID,
		Conditions: []desk.Condition{{Field: desk.FieldURL, Op: desk.OpContains, Value: "/product"}}})
	if err != nil {
		return err
	}
	fmt.Fprintln(a.out, "Demo: chat rule Automatic; action rule “Product page”: URL contains /product → John Mathews")
	a.siteSettings.Reload(bus.KindSettings)
	a.siteSettings.Reload(bus.KindActionRules)
	return nil
}
