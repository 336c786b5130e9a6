// The documentation site: docs/ built by VitePress into dist/docs, served by the server at /docs under
// the console's Content-Security-Policy (src/console/docs.controller.ts). That policy allows no inline
// script and no style attribute: the metadata goes in a chunk of its own, there is no colour-scheme
// switch (an inline script), table alignment and code colours become classes (theme/csp.css and
// code-colours.css), and the build fails on any inline script or style attribute left in a page.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { transformerStyleToClass } from '@shikijs/transformers';
import type MarkdownIt from 'markdown-it';
import { defineConfig } from 'vitepress';
import { precompress } from '../../web/bundle-budget.mjs';

const guides = [
  ['Analysts', 'analyst'],
  ['Organisation administrators', 'organisation-admin'],
  ['Platform administrators', 'platform-admin'],
  ['Case handlers', 'case-handler'],
  ['Vetting officers', 'vetting-officer'],
  ['Gate staff', 'gate-staff'],
  ['Reporters (questions and answers)', 'reporter-faq'],
  ['Data protection officers', 'data-protection-officer'],
  ['Operators', 'operator'],
  ['The APIs', 'api'],
];

/** Connecting an organisation's identity provider, per family. */
const identityProviders = [
  ['Microsoft Entra ID', 'entra-id'],
  ['Keycloak', 'keycloak'],
  ['Any OpenID provider', 'generic-oidc'],
];

/** markdown-it aligns table cells with style attributes; the same as classes. */
function alignmentAsClasses(md: MarkdownIt): void {
  md.core.ruler.push('alignment_classes', (state) => {
    for (const token of state.tokens) {
      const align = /^text-align:(\w+)$/.exec(token.attrGet('style') ?? '')?.[1];
      if (!align) continue;
      token.attrs = token.attrs?.filter(([name]) => name !== 'style') ?? null;
      token.attrJoin('class', `align-${align}`);
    }
  });
}

/**
 * The theme's server rendering writes two style attributes (their CSS is in theme/csp.css; the browser
 * sets them again through the CSSOM, which the policy allows) and a script that only marks Macs.
 */
function withoutInlineCode(html: string, page: string): string {
  const cleaned = html
    .replace(/<script id="check-mac-os">[^<]*<\/script>/, '')
    .replace(/ style="(--vp-vh:0px;|position:relative;)"/g, '');
  const left = /<script(?![^>]*\bsrc=)[^>]*>| style="[^"]*"/.exec(cleaned);
  if (left) throw new Error(`${page}: ${left[0]} would be refused by the Content-Security-Policy`);
  return cleaned;
}

/** Shiki colours code with style attributes: classes instead, their rules written to code-colours.css. */
const codeColours = transformerStyleToClass({ classPrefix: 'code-' });

export default defineConfig({
  title: 'Harbourwatch',
  description: 'Security information shared between the actors of a port',
  lang: 'en-GB',
  base: '/docs/',
  outDir: '../dist/docs',
  cacheDir: '../node_modules/.cache/vitepress',
  srcExclude: ['screenshots/**'],
  metaChunk: true,
  appearance: false,
  lastUpdated: false,
  head: [
    ['link', { rel: 'icon', type: 'image/svg+xml', href: '/favicon.svg' }],
    ['link', { rel: 'stylesheet', href: '/docs/code-colours.css' }],
  ],
  themeConfig: {
    search: { provider: 'local' },
    sidebar: [
      { text: 'Guides', items: guides.map(([text, page]) => ({ text, link: `/guides/${page}` })) },
      {
        text: 'Identity providers',
        items: identityProviders.map(([text, page]) => ({ text, link: `/identity-providers/${page}` })),
      },
      {
        text: 'Reference',
        items: [
          { text: 'Architecture', link: '/architecture' },
          { text: 'Configuration', link: '/configuration' },
          { text: 'Who may call what', link: '/authorization/operations' },
          { text: 'Lists as SQL', link: '/authorization/ability-sql' },
          { text: 'Register of processing', link: '/data-protection/register' },
          { text: 'Benchmarks', link: '/benchmarks' },
        ],
      },
    ],
    outline: { level: [2, 3] },
  },
  markdown: { config: alignmentAsClasses, codeTransformers: [codeColours] },
  transformHtml: (html, page) => withoutInlineCode(html, page),
  buildEnd: (site) => {
    writeFileSync(join(site.outDir, 'code-colours.css'), codeColours.getCSS());
    // Every text file, as the console's assets: the server sends .br or .gz as the browser accepts.
    precompress(site.outDir, /\.(js|css|svg|html|json)$/);
  },
});
