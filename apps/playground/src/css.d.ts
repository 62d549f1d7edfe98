// A page's own stylesheet, imported by its module (`import './page.css'`): Vite bundles it into the page's chunk.
declare module '*.css';
