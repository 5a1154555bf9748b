import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { App } from './components/App';
import { installApp } from './features/attention/pwa';
import { upgradeLegacyAddress } from './routes/paths';
// Block and the moderation menu on a person's card (it takes its actions from a list).
import './features/moderation/CardActions';
import './styles/theme.css';
import './styles/base.css';
import './styles/layout.css';
import './styles/sidebar.css';
import './styles/room.css';
import './styles/messages.css';
import './styles/attention.css';
import './styles/search.css';
import './styles/files.css';
import './styles/settings.css';
import './styles/people.css';
import './styles/moderation.css';
import './styles/admin.css';
import './styles/changes.css';

upgradeLegacyAddress();
installApp();

createRoot(document.getElementById('root')!).render(
  <StrictMode>
    <App />
  </StrictMode>,
);
