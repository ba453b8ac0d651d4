import { render } from 'preact';
import { App } from './app';
import './styles/base.css';
import './styles/shell.css';
import './styles/chats.css';
import './styles/lists.css';
import './styles/settings.css';
import './styles/reports.css';

render(<App />, document.getElementById('app')!);
