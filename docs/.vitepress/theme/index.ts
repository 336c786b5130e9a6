// The default theme, and the rules that replace the style attributes the docs' CSP refuses.
import DefaultTheme from 'vitepress/theme';
import './csp.css';

export default DefaultTheme;
