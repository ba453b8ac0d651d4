import { render } from 'preact';
import { useState } from 'preact/hooks';
function X() { const [n, setN] = useState(0); return <button onClick={() => setN(n + 1)}>n={n}</button>; }
render(<X />, document.getElementById('app')!);
