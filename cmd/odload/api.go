package main

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/cookiejar"
	"net/url"
	"time"
)

// apiClient is one logged-in operator's REST session.
type apiClient struct {
	base *url.URL
	http *http.Client
	csrf string
	id   int64
}

func newAPIClient(base *url.URL) *apiClient {
	jar, _ := cookiejar.New(nil)
	return &apiClient{base: base, http: &http.Client{Jar: jar, Timeout: 30 * time.Second}}
}

// do sends a JSON request and decodes a JSON answer into out; a status
// other than want is an error carrying the server's message.
func (c *apiClient) do(ctx context.Context, method, path string, body, out any, want int) error {
	var rd io.Reader
	if body != nil {
		b, err := json.Marshal(body)
		if err != nil {
			return err
		}
		rd = bytes.NewReader(b)
	}
	req, err := http.NewRequestWithContext(ctx, method, c.base.String()+path, rd)
	if err != nil {
		return err
	}
	if body != nil {
		req.Header.Set("Content-Type", "application/json")
	}
	if c.csrf != "" {
		req.Header.Set("X-CSRF-Token", c.csrf)
	}
	res, err := c.http.Do(req)
	if err != nil {
		return err
	}
	defer res.Body.Close()
	data, _ := io.ReadAll(res.Body)
	if res.StatusCode != want {
		return fmt.Errorf("%s %s: %d %s", method, path, res.StatusCode, bytes.TrimSpace(data))
	}
	if out != nil {
		return json.Unmarshal(data, out)
	}
	return nil
}

// login starts a session (POST /api/session).
func login(ctx context.Context, base *url.URL, email, password string) (*apiClient, error) {
	c := newAPIClient(base)
	var body struct {
		Operator struct {
			ID int64 `json:"id"`
		} `json:"operator"`
		CSRF string `json:"csrf_token"`
	}
	if err := c.do(ctx, "POST", "/api/session", map[string]string{"email": email, "password": password}, &body, 200); err != nil {
		return nil, err
	}
	c.csrf, c.id = body.CSRF, body.Operator.ID
	return c, nil
}

// siteKey reads the site key from the settings.
func (c *apiClient) siteKey(ctx context.Context) (string, error) {
	var s struct {
		SiteKey string `json:"site_key"`
	}
	err := c.do(ctx, "GET", "/api/settings", nil, &s, 200)
	return s.SiteKey, err
}

func operatorEmail(i int) string { return fmt.Sprintf("load-op-%d@odload.test", i+1) }

// ensureOperators creates the load operators that do not exist yet.
func (c *apiClient) ensureOperators(ctx context.Context, n int, password string) error {
	var list struct {
		Operators []struct {
			Email string `json:"email"`
		} `json:"operators"`
	}
	if err := c.do(ctx, "GET", "/api/operators", nil, &list, 200); err != nil {
		return err
	}
	have := map[string]bool{}
	for _, o := range list.Operators {
		have[o.Email] = true
	}
	for i := 0; i < n; i++ {
		if have[operatorEmail(i)] {
			continue
		}
		body := map[string]any{"name": fmt.Sprintf("Load Operator %d", i+1), "email": operatorEmail(i), "password": password,
			"role": "operator", "priority_level": 1, "chat_limit": 2}
		if err := c.do(ctx, "POST", "/api/operators", body, nil, 201); err != nil {
			return err
		}
	}
	return nil
}

// sessionCookie is the Cookie header a console socket of this session sends.
func (c *apiClient) sessionCookie() string {
	var h string
	for _, ck := range c.http.Jar.Cookies(c.base) {
		if h != "" {
			h += "; "
		}
		h += ck.Name + "=" + ck.Value
	}
	return h
}
