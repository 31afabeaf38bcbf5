// The entry point: the NL Design System's tokens and components, our own layout, the app.
import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import '@utrecht/design-tokens/dist/index.css';
import '@utrecht/component-library-css/dist/index.css';
import './styles.css';
import { App } from './App';

document.documentElement.classList.add('utrecht-theme');
document.body.classList.add('utrecht-body');

createRoot(document.getElementById('root')!).render(
  <StrictMode>
    <App />
  </StrictMode>,
);
