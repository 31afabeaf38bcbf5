// The entry point: the NL Design System's tokens and components, our own layout, the app.
import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import '@utrecht/design-tokens/dist/index.css';
import '@utrecht/component-library-css/dist/index.css';
import './styles.css';
import { App } from './App';

// The theme's tokens, and the document styles (sans-serif type, size, line height, colours) for the whole page.
document.documentElement.classList.add('utrecht-theme', 'utrecht-document', 'utrecht-document--surface');
document.body.classList.add('utrecht-body');

createRoot(document.getElementById('root')!).render(
  <StrictMode>
    <App />
  </StrictMode>,
);
