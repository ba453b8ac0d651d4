// The top of the console: decides between the first-admin page, the login
// page and the console itself, and owns the session (operator + CSRF token).
import { useCallback, useEffect, useState } from 'preact/hooks';
import { getSession, getSetup } from './api/endpoints';
import { ApiError, errorText, setCsrfToken, setUnauthorizedHandler } from './api/http';
import type { Session } from './api/types';
import { LoginPage, SetupPage } from './views/AuthPages';
import { ConsoleShell } from './views/ConsoleShell';

type Phase =
  | { name: 'loading' }
  | { name: 'failed'; message: string }
  | { name: 'setup' }
  | { name: 'login'; message: string }
  | { name: 'console'; session: Session };

function loggedOutText(err: unknown): string {
  if (err instanceof ApiError && err.code === 'session_expired') return err.message;
  return '';
}

export function App() {
  const [phase, setPhase] = useState<Phase>({ name: 'loading' });

  const enter = useCallback((session: Session) => {
    setCsrfToken(session.csrf_token);
    setPhase({ name: 'console', session });
  }, []);

  const toLogin = useCallback((message: string) => {
    setCsrfToken('');
    setPhase({ name: 'login', message });
  }, []);

  const start = useCallback(async () => {
    setPhase({ name: 'loading' });
    try {
      const setup = await getSetup();
      if (setup.needs_admin) {
        setPhase({ name: 'setup' });
        return;
      }
    } catch (err) {
      setPhase({ name: 'failed', message: errorText(err) });
      return;
    }
    try {
      enter(await getSession());
    } catch (err) {
      if (err instanceof ApiError && err.status === 401) toLogin(loggedOutText(err));
      else setPhase({ name: 'failed', message: errorText(err) });
    }
  }, [enter, toLogin]);

  useEffect(() => {
    setUnauthorizedHandler((err) => toLogin(loggedOutText(err)));
    void start();
  }, [start, toLogin]);

  // The socket was closed with 4401: ask the server why, to say so plainly.
  const onSocketUnauthorized = useCallback(() => {
    getSession().then(
      () => toLogin('Please log in again.'),
      (err) => toLogin(loggedOutText(err) || 'You were logged out. Please log in again.'),
    );
  }, [toLogin]);

  switch (phase.name) {
    case 'loading':
      return <div class="splash">Loading…</div>;
    case 'failed':
      return (
        <div class="splash">
          <p role="alert">{phase.message}</p>
          <button type="button" onClick={() => void start()}>
            Try again
          </button>
        </div>
      );
    case 'setup':
      return <SetupPage onDone={enter} />;
    case 'login':
      return <LoginPage message={phase.message} onDone={enter} />;
    case 'console':
      return (
        <ConsoleShell
          key={phase.session.operator.id}
          session={phase.session}
          onLoggedOut={() => toLogin('')}
          onSocketUnauthorized={onSocketUnauthorized}
        />
      );
  }
}
