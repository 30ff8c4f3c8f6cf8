/* Guide Studio preview: the rendered text of a guide, back to the Markdown it came from.
 * Editor-only (injected into the preview page, never into a bundle or the runtime).
 *
 * The canvas edits the product's own rendering (contenteditable), so what is stored must be
 * Markdown that renders to exactly what the person sees: core/markdown_text.py's subset —
 * paragraphs, **bold**, *italic*, [links](url), `code`, lists, headings, quotes, and
 * {{attribute|fallback}} placeholders, which are chips carrying their own source text.
 * Characters Markdown would read as syntax are escaped when they might be; Python then drops
 * every escape that does not change the rendering (widgets/preview/canvas_text.py), so what
 * is stored is what was typed. serialize(render(md)) === md for the texts people write; when
 * it is not (`__x__`, `* item`, a hard break written with two spaces), the canvas refuses to
 * edit that text rather than rewrite it (canvas-edit.js asks Python first).
 */
(function () {
  'use strict';
  if (window.__gsMarkdown) return;
  var MARKS = {B: '**', STRONG: '**', I: '*', EM: '*'};
  var BLOCK = /^(P|DIV|H[1-6]|UL|OL|LI|BLOCKQUOTE|PRE|HR|TABLE|SECTION|ARTICLE)$/;
  var PUNCT = /[!-/:-@[-`{-~]/;
  var SPACE = /\s/;
  var WORD = /[\p{L}\p{N}]/u;

  var isBlock = function (n) { return n.nodeType === 1 && BLOCK.test(n.tagName); };
  var isChip = function (n) { return n.nodeType === 1 && n.hasAttribute('data-gs-attr'); };
  function chipSource(n) {
    return n.getAttribute('data-gs-src') || '{{' + n.getAttribute('data-gs-attr') + '}}';
  }

  // --- inline content: a list of pieces, then one string -----------------------------------
  // A piece is {text} (escaped later, knowing its neighbours), {raw} (syntax, as is) or {br}.

  function pieces(nodes, out, ctx) {
    for (var i = 0; i < nodes.length; i++) {
      var n = nodes[i];
      if (n.nodeType === 3) {
        out.push({text: n.data});
      } else if (n.nodeType !== 1 || n.hasAttribute('data-gs-editor')) {
        continue; // comments; our own carets and hints
      } else if (isChip(n)) {
        out.push({raw: chipSource(n)});
      } else if (n.tagName === 'BR') {
        out.push({br: true});
      } else if (MARKS[n.tagName]) {
        wrap(n, MARKS[n.tagName], out, ctx);
      } else if (n.tagName === 'A' && ctx.links) {
        link(n, out, ctx);
      } else if (n.tagName === 'CODE') {
        out.push({raw: code(n.textContent)});
      } else {
        pieces(n.childNodes, out, ctx); // spans and anything else: their text
      }
    }
    return out;
  }

  // **…** / *…*: whitespace at the edges goes outside the markers (`** x**` would not parse).
  function wrap(n, mark, out, ctx) {
    var inner = pieces(n.childNodes, [], ctx);
    var text = inner.map(function (p) { return p.text || p.raw || ''; }).join('');
    if (!text.trim()) { out.push.apply(out, inner); return; }
    var first = inner[0], last = inner[inner.length - 1], lead = '', trail = '';
    if (first.text) { lead = /^\s*/.exec(first.text)[0]; first.text = first.text.slice(lead.length); }
    if (last.text) {
      trail = /\s*$/.exec(last.text)[0];
      last.text = last.text.slice(0, last.text.length - trail.length);
    }
    if (lead) out.push({text: lead});
    out.push({raw: mark});
    out.push.apply(out, inner);
    out.push({raw: mark});
    if (trail) out.push({text: trail});
  }

  function link(n, out, ctx) {
    var href = n.getAttribute('href') || '', label = n.textContent;
    if (label === href && /^[A-Za-z][A-Za-z0-9+.-]{1,31}:[^\s<>]*$/.test(href)) {
      out.push({raw: '<' + href + '>'}); // an autolink
      return;
    }
    out.push({raw: '['});
    pieces(n.childNodes, out, {links: false, inLink: true});
    var dest = /[\s()<>]/.test(href) ? '<' + href.replace(/[<>]/g, encodeURIComponent) + '>' : href;
    var title = n.getAttribute('title');
    out.push({raw: '](' + dest + (title ? ' "' + title.replace(/"/g, '\\"') + '"' : '') + ')'});
  }

  function code(text) {
    var ticks = '`';
    while (text.indexOf(ticks) >= 0) ticks += '`';
    var pad = /^`|`$|^ .* $/.test(text) ? ' ' : '';
    return ticks + pad + text + pad + ticks;
  }

  // Is this run of * or _ at i..j able to open or close emphasis? (CommonMark's flanking rules,
  // erring on "yes": an escape too many is dropped by Python, one too few changes the text.)
  function mayDelimit(c, before, after) {
    var openish = after && !SPACE.test(after), closeish = before && !SPACE.test(before);
    if (!openish && !closeish) return false;
    if (c === '_' && before && after && WORD.test(before) && WORD.test(after)) return false;
    return true;
  }

  function escapeText(s, before, after, ctx) {
    var out = '';
    for (var i = 0; i < s.length; i++) {
      var c = s[i], prev = i ? s[i - 1] : before, next = i + 1 < s.length ? s[i + 1] : after;
      if (c === '*' || c === '_') {
        var j = i;
        while (j < s.length && s[j] === c) j++;
        var run = s.slice(i, j);
        var esc = mayDelimit(c, prev, j < s.length ? s[j] : after);
        out += esc ? run.replace(/[*_]/g, '\\$&') : run;
        i = j - 1;
        continue;
      }
      if (c === '\\' && (!next || PUNCT.test(next) || next === '\n')) out += '\\\\';
      else if (c === '`') out += '\\`';
      else if (c === '[' && ctx.inLink) out += '\\[';
      else if (c === ']' && (ctx.inLink || next === '(' || next === '[' || next === ':')) out += '\\]';
      else if (c === '<' && /^<([A-Za-z][A-Za-z0-9+.-]{1,31}:|[^\s<>@]+@)[^\s<>]*>/.test(s.slice(i))) {
        out += '\\<';
      } else if (c === '&' && /^&(#[0-9]{1,7}|#[xX][0-9a-fA-F]{1,6}|[A-Za-z][A-Za-z0-9]{1,31});/
        .test(s.slice(i))) {
        out += '\\&';
      } else out += c;
    }
    return out;
  }

  // Text at the start of a line of a block that Markdown would read as a block marker.
  function escapeLineStart(line) {
    var m = /^( {0,3})(\d{1,9})(?=[.)](\s|$))/.exec(line); // "1. " starts a list
    if (m) return m[1] + m[2] + '\\' + line.slice(m[0].length);
    if (/^ {0,3}(>|~~~|(#{1,6}|[-+*]|=+|-+)(?=\s|$))/.test(line)) {
      var lead = /^ */.exec(line)[0];
      return lead + '\\' + line.slice(lead.length);
    }
    return line;
  }

  function inline(nodes, ctx) {
    var list = pieces(nodes, [], ctx), out = '';
    // A <br> Chrome keeps at the end of a block (so an empty line has height) is not content.
    while (list.length && (list[list.length - 1].br ||
           (list[list.length - 1].text === '' && list.length > 1))) list.pop();
    for (var i = 0; i < list.length; i++) {
      var p = list[i];
      if (p.br) {
        out += '\\\n';
        var after = list[i + 1];
        if (after && after.text) after.text = after.text.replace(/^\n/, ''); // the renderer's own
      } else if (p.raw !== undefined) {
        out += p.raw;
      } else {
        var before = out ? out[out.length - 1] : '';
        var next = list[i + 1], nextChar = next ? (next.text || next.raw || (next.br ? '\n' : ''))[0] : '';
        out += escapeText(p.text, before, nextChar || '', ctx);
      }
    }
    if (ctx.block) out = out.split('\n').map(escapeLineStart).join('\n');
    return out;
  }

  // --- block content (a step's body) ------------------------------------------------------

  function blocks(el, ctx) {
    var out = [], run = [];
    var flush = function () {
      if (run.length) {
        var text = inline(run, ctx);
        if (text.trim()) out.push(text);
        run = [];
      }
    };
    for (var i = 0; i < el.childNodes.length; i++) {
      var n = el.childNodes[i];
      if (!isBlock(n)) {
        if (!(n.nodeType === 3 && !n.data.trim() && (run.length === 0 || isBlock(n.nextSibling || {})))) {
          run.push(n);
        }
        continue;
      }
      flush();
      var text = block(n, ctx);
      if (text !== null && text.trim()) out.push(text);
    }
    flush();
    return out;
  }

  function indent(text, first, rest) {
    return text.split('\n').map(function (line, i) {
      return (i ? (line ? rest : '') : first) + line;
    }).join('\n');
  }

  function block(n, ctx) {
    var tag = n.tagName;
    if (tag === 'P') return inline(n.childNodes, ctx);
    if (/^H[1-6]$/.test(tag)) {
      return '#'.repeat(+tag[1]) + ' ' + inline(n.childNodes, {links: ctx.links});
    }
    if (tag === 'HR') return '---';
    if (tag === 'PRE') return '```\n' + n.textContent.replace(/\n$/, '') + '\n```';
    if (tag === 'BLOCKQUOTE') return indent(blocks(n, ctx).join('\n\n'), '> ', '> ');
    if (tag === 'UL' || tag === 'OL') {
      var items = [].filter.call(n.children, function (c) { return c.tagName === 'LI'; });
      var loose = items.some(function (li) {
        return [].some.call(li.children, function (c) { return c.tagName === 'P'; });
      });
      var start = tag === 'OL' ? +(n.getAttribute('start') || 1) : 0;
      return items.map(function (li, k) {
        var marker = tag === 'OL' ? (start + k) + '. ' : '- ';
        var body = [].some.call(li.childNodes, isBlock) ? blocks(li, ctx).join(loose ? '\n\n' : '\n')
          : inline(li.childNodes, ctx);
        return indent(body, marker, ' '.repeat(marker.length));
      }).join(loose ? '\n\n' : '\n');
    }
    return blocks(n, ctx).join('\n\n'); // DIV and friends: what is inside
  }

  window.__gsMarkdown = {
    /** The Markdown of an element's content; block: a body (paragraphs); links: [..](..) kept. */
    serialize: function (el, options) {
      var o = options || {}, ctx = {block: !!o.block, links: o.links !== false};
      return o.block ? blocks(el, ctx).join('\n\n') : inline(el.childNodes, ctx);
    },
    isBlock: isBlock,
    isChip: isChip
  };
})();
