package app_test

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"sync"
	"sync/atomic"
	"testing"

	"github.com/gorilla/websocket"

	"outputdesk/internal/store/postgres"
)

// 1,000 visitors start chats at once over 3 nodes while operators with
// chat limits are online; one node is killed (SIGKILL) half-way. Visitors
// and consoles of the dead node reconnect to the others, as through a load
// balancer, and resend what was not acknowledged. Afterwards: no operator
// past their limit, no visitor with two open chats, every acknowledged
// message stored, none stored twice.
func TestNodesThousandChatsOneNodeKilled(t *testing.T) {
	const visitors, perVisitor = 1000, 3
	c := startCluster(t, 3)
	dead := c.nodes[2]
	admin := c.setup()
	admin.patchSettings(map[string]any{"chat_rule": "Automatic"})
	admin.setStatus("Away")
	limits := map[int64]int{}
	var consoles []*console
	for i := range 9 {
		o := admin.addOperator(fmt.Sprintf("Operator %d", i), 1+i%3, 1+i%3)
		limits[o.me.ID] = 1 + i%3
		consoles = append(consoles, discarding(o.on(c.nodes[i%3]).console(nil, false)))
	}
	for id := range limits {
		waitFor(t, "every node to see every operator Online", func() bool {
			for _, n := range c.nodes {
				if admin.statusOn(n, id) != "Online" {
					return false
				}
			}
			return true
		})
	}

	ctx := waitContext(t)
	var firstAcks atomic.Int64
	half := make(chan struct{})
	var halfOnce sync.Once
	live := func(i int) *node { // the node a (re)connecting client reaches
		for k := range len(c.nodes) {
			n := c.nodes[(i+k)%len(c.nodes)]
			select {
			case <-n.exited:
			default:
				return n
			}
		}
		return nil
	}
	results := make([]*loadVisitor, visitors)
	var wg sync.WaitGroup
	for i := range visitors {
		v := &loadVisitor{t: t, ctx: ctx, key: c.key, node: func(k int) *node { return live(i + k) }}
		results[i] = v
		wg.Go(func() {
			for m := range perVisitor {
				v.send(fmt.Sprintf("visitor %d message %d", i, m))
				if m == 0 && firstAcks.Add(1) == visitors/2 {
					halfOnce.Do(func() { close(half) })
				}
			}
		})
	}
	await(t, "half the chats to start", half)
	dead.kill()
	for i, con := range consoles {
		if i%3 == 2 {
			con.close()
			consoles[i] = discarding(con.o.on(c.nodes[0]).console(nil, false))
		}
	}
	wg.Wait()
	if t.Failed() {
		return
	}

	db, err := postgres.Connect(c.db)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	rows, err := db.QueryContext(ctx, `SELECT operator_id, count(*) FROM chats WHERE state = 'active' GROUP BY operator_id`)
	if err != nil {
		t.Fatal(err)
	}
	active := 0
	for rows.Next() {
		var id int64
		var n int
		rows.Scan(&id, &n)
		active += n
		if n > limits[id] {
			t.Errorf("operator %d has %d active chats, past their limit %d", id, n, limits[id])
		}
	}
	rows.Close()
	var twoOpen, chats, stored, distinct int
	db.QueryRowContext(ctx, `SELECT count(*) FROM (SELECT visitor_id FROM chats WHERE state <> 'ended' GROUP BY visitor_id HAVING count(*) > 1) x`).Scan(&twoOpen)
	db.QueryRowContext(ctx, `SELECT count(*) FROM chats`).Scan(&chats)
	db.QueryRowContext(ctx, `SELECT count(*), count(DISTINCT body) FROM messages WHERE author = 'visitor'`).Scan(&stored, &distinct)
	if twoOpen != 0 || chats != visitors {
		t.Errorf("%d visitors have two open chats; %d chats for %d visitors", twoOpen, chats, visitors)
	}
	if stored != distinct {
		t.Errorf("%d visitor messages stored, %d distinct: %d stored twice", stored, distinct, stored-distinct)
	}
	lost := 0
	for _, v := range results {
		for _, body := range v.acked {
			var n int
			db.QueryRowContext(ctx, `SELECT count(*) FROM messages WHERE chat_id = $1 AND body = $2`, v.chatID, body).Scan(&n)
			if n != 1 {
				lost++
				t.Errorf("acknowledged %q of chat %d is stored %d times", body, v.chatID, n)
			}
		}
	}
	var moved int
	for _, v := range results {
		moved += v.reconnects
	}
	t.Logf("%d chats, %d active within limits, %d visitor messages acknowledged and stored once, %d lost; %d reconnects after the kill",
		chats, active, distinct, lost, moved)
}

// discarding reads and drops what a console gets, so that a thousand
// tickets never fill its queue (the server would close a slow consumer).
func discarding(c *console) *console {
	go func() {
		for {
			select {
			case <-c.frames:
			case <-c.closed:
				return
			}
		}
	}()
	return c
}

// loadVisitor is a widget tab that survives its node dying: it reconnects
// to another node with its token and chat, and resends what was not
// acknowledged under the same client id, so nothing is stored twice.
type loadVisitor struct {
	t          *testing.T
	ctx        context.Context
	key        string
	node       func(attempt int) *node
	ws         *websocket.Conn
	token      string
	chatID     int64
	lastSeq    int64
	acked      []string
	reconnects int
	attempt    int
}

// send sends body and returns once it is acknowledged, reconnecting as
// often as it takes.
func (v *loadVisitor) send(body string) {
	clientID := fmt.Sprintf("c-%x", []byte(body))
	for v.ctx.Err() == nil {
		if v.ws == nil && !v.connect() {
			continue
		}
		ref := "r-" + clientID
		err := v.ws.WriteJSON(map[string]any{"type": "message.send", "ref": ref, "client_id": clientID, "body": body})
		for err == nil {
			var f frame
			if err = v.ws.ReadJSON(&f); err != nil {
				break
			}
			if f.str("type") == "message" {
				v.lastSeq = max(v.lastSeq, f.obj("message").num("seq"))
			}
			if f.str("ref") != ref {
				continue
			}
			if f.str("type") != "ack" {
				v.t.Errorf("sending %q: %v", body, f)
				return
			}
			v.chatID = f.num("chat_id")
			v.acked = append(v.acked, body)
			return
		}
		v.ws.Close()
		v.ws = nil
		v.reconnects++
	}
	v.t.Errorf("gave up sending %q: %v", body, v.ctx.Err())
}

func (v *loadVisitor) connect() bool {
	n := v.node(v.attempt)
	v.attempt++
	u := strings.Replace(n.base, "http", "ws", 1) + "/ws/visitor?site_key=" + url.QueryEscape(v.key)
	var d websocket.Dialer
	ws, _, err := d.DialContext(v.ctx, u, http.Header{"Origin": {n.base}})
	if err != nil {
		return false
	}
	hello := map[string]any{"type": "hello", "token": v.token, "chat_id": v.chatID, "last_seq": v.lastSeq,
		"page": map[string]any{"id": "pv-load", "url": n.base + "/demo/", "title": "Home", "referrer": ""}, "visible": true}
	if err := ws.WriteJSON(hello); err != nil {
		ws.Close()
		return false
	}
	for {
		_, data, err := ws.ReadMessage()
		if err != nil {
			ws.Close()
			return false
		}
		var f frame
		json.Unmarshal(data, &f)
		if f.str("type") == "welcome" {
			v.token = f.str("token")
			v.ws = ws
			return true
		}
	}
}
