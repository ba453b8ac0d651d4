// "Create admin account" (first start only) and the login page.
import { useState } from 'preact/hooks';
import { createAdmin, logIn } from '../api/endpoints';
import { errorText } from '../api/http';
import type { Session } from '../api/types';
import { TextField } from '../components/fields';

interface Props {
  onDone: (s: Session) => void;
}

export function SetupPage({ onDone }: Props) {
  const [name, setName] = useState('');
  const [email, setEmail] = useState('');
  const [password, setPassword] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState('');

  async function submit(e: Event) {
    e.preventDefault();
    if (password.length < 8) {
      setError('The password must be at least 8 characters.');
      return;
    }
    setBusy(true);
    setError('');
    try {
      onDone(await createAdmin({ name: name.trim(), email: email.trim(), password }));
    } catch (err) {
      setError(errorText(err));
      setBusy(false);
    }
  }

  return (
    <main class="auth">
      <form class="auth-card" onSubmit={submit}>
        <div class="brand brand-large">Output Desk</div>
        <h1>Create admin account</h1>
        <p class="muted">This is the first start of this server. The account you create here is its administrator.</p>
        <TextField id="setup-name" label="Name" value={name} onInput={setName} required autoComplete="name" />
        <TextField id="setup-email" label="Email" type="email" value={email} onInput={setEmail} required autoComplete="email" />
        <TextField
          id="setup-password"
          label="Password"
          type="password"
          value={password}
          onInput={setPassword}
          required
          autoComplete="new-password"
          hint="At least 8 characters."
        />
        {error && <p class="error" role="alert">{error}</p>}
        <button type="submit" class="primary" disabled={busy}>
          Create admin account
        </button>
      </form>
    </main>
  );
}

export function LoginPage({ onDone, message }: Props & { message: string }) {
  const [email, setEmail] = useState('');
  const [password, setPassword] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState('');

  async function submit(e: Event) {
    e.preventDefault();
    setBusy(true);
    setError('');
    try {
      onDone(await logIn({ email: email.trim(), password }));
    } catch (err) {
      setError(errorText(err));
      setBusy(false);
    }
  }

  return (
    <main class="auth">
      <form class="auth-card" onSubmit={submit}>
        <div class="brand brand-large">Output Desk</div>
        <h1>Operator console</h1>
        {message && !error && <p class="notice" role="status">{message}</p>}
        <TextField id="login-email" label="Email" type="email" value={email} onInput={setEmail} required autoComplete="username" />
        <TextField
          id="login-password"
          label="Password"
          type="password"
          value={password}
          onInput={setPassword}
          required
          autoComplete="current-password"
        />
        {error && <p class="error" role="alert">{error}</p>}
        <button type="submit" class="primary" disabled={busy}>
          Log in
        </button>
      </form>
    </main>
  );
}
