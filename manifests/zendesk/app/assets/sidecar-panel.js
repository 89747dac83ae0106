/*
 * The sidecar's suggestion panel, shared by the Zendesk app (manifests/zendesk/app/assets) and the Freshdesk app
 * (manifests/freshdesk/app/app/scripts): the two files are identical (a test checks). It knows nothing of either helpdesk;
 * the app hands it an adapter:
 *   latest()                    -> Promise of the suggestion (GET /api/suggestions/latest) or null when there is none
 *   insert(text)                -> Promise: put the text into the reply box
 *   inserted(id)                -> Promise: POST /api/suggestions/{id}/inserted
 *   feedback(id, verdict, why)  -> Promise: POST /api/suggestions/{id}/feedback
 * Everything is built with DOM calls and textContent (no innerHTML): the draft and titles are never read as markup.
 */
(function (global) {
  'use strict';

  var KIND_TEXT = {
    Draft: 'Suggested reply',
    Withheld: 'Draft withheld',
    Escalation: 'Escalate to a person',
    KnowledgeGap: 'No answer in the knowledge base'
  };
  var VERDICT_TEXT = { sent_as_is: 'Used as is', edited: 'Used, edited', rejected: 'Not used' };

  function el(tag, attrs, text) {
    var node = document.createElement(tag);
    Object.keys(attrs || {}).forEach(function (k) { node.setAttribute(k, attrs[k]); });
    if (text !== undefined && text !== null) node.textContent = text;
    return node;
  }

  function safeUrl(url) {
    return typeof url === 'string' && /^https?:\/\//i.test(url) ? url : null;
  }

  function message(err) {
    if (!err) return 'Unknown error';
    if (typeof err === 'string') return err;
    var body = err.responseText || err.response;
    if (typeof body === 'string') {
      try { var p = JSON.parse(body); if (p && (p.detail || p.title)) return p.detail || p.title; } catch (e) { /* not JSON */ }
    }
    return err.message || (err.status ? 'The sidecar answered ' + err.status : 'The sidecar could not be reached');
  }

  function Panel(root, adapter) {
    this.root = root;
    this.adapter = adapter;
    this.current = null;
  }

  Panel.prototype.status = function (text, kind) {
    var s = this.root.querySelector('[data-role=status]');
    if (!s) { s = el('p', { 'data-role': 'status', role: 'status', 'aria-live': 'polite' }); this.root.appendChild(s); }
    s.textContent = text || '';
    s.className = 'status' + (kind ? ' ' + kind : '');
  };

  Panel.prototype.refresh = function () {
    var self = this;
    self.status('Loading…');
    return self.adapter.latest().then(function (s) {
      self.current = s;
      self.render(s);
    }, function (err) {
      self.current = null;
      self.root.textContent = '';
      self.status(message(err), 'error');
    });
  };

  Panel.prototype.render = function (s) {
    var self = this;
    var root = self.root;
    root.textContent = '';
    if (!s) {
      root.appendChild(el('p', { 'data-role': 'empty', class: 'empty' }, 'No suggestion for this ticket yet.'));
      return;
    }
    root.appendChild(el('h2', { 'data-role': 'kind', class: 'kind kind-' + s.kind }, KIND_TEXT[s.kind] || s.kind));
    var meta = el('p', { class: 'meta' });
    meta.appendChild(el('span', { 'data-role': 'confidence' }, 'Confidence ' + Math.round((s.confidence || 0) * 100) + '%'));
    if (s.intent) meta.appendChild(el('span', { 'data-role': 'intent' }, ' · ' + s.intent));
    if (s.mode) meta.appendChild(el('span', { 'data-role': 'mode' }, ' · ' + s.mode));
    root.appendChild(meta);

    if (s.why) root.appendChild(el('p', { 'data-role': 'why', class: 'why' }, s.why));
    if (s.draft) {
      root.appendChild(el('pre', { 'data-role': 'draft', class: 'draft' }, s.draft));
    } else if (s.note) {
      root.appendChild(el('h3', {}, 'Summary'));
      root.appendChild(el('pre', { 'data-role': 'summary', class: 'summary' }, s.note));
    }

    if (s.sources && s.sources.length) {
      root.appendChild(el('h3', {}, 'Sources'));
      var list = el('ol', { 'data-role': 'sources', class: 'sources' });
      s.sources.forEach(function (src) {
        var li = el('li', { value: String(src.number) });
        var href = safeUrl(src.url);
        if (href) li.appendChild(el('a', { href: href, target: '_blank', rel: 'noopener noreferrer' }, src.title));
        else li.textContent = src.title;
        list.appendChild(li);
      });
      root.appendChild(list);
    }
    if (s.tags && s.tags.length) {
      var tags = el('p', { 'data-role': 'tags', class: 'tags' });
      s.tags.forEach(function (t) { tags.appendChild(el('span', { class: 'tag' }, t)); });
      root.appendChild(tags);
    }
    if (s.routes && s.routes.length) {
      // Suggested routes are for the agent to apply; automatic ones are set on the ticket in Live mode.
      root.appendChild(el('h3', {}, 'Route'));
      var routes = el('ul', { 'data-role': 'routes', class: 'routes' });
      s.routes.forEach(function (r) {
        var auto = r.action === 'auto';
        routes.appendChild(el('li', { 'data-route-action': r.action },
          r.label + ' — ' + (auto ? (s.mode === 'Live' ? 'applied automatically' : 'would be applied (shadow)') : 'suggested') + ' (rule ' + r.rule + ')'));
      });
      root.appendChild(routes);
    }

    if (s.draft && s.kind === 'Draft') {
      var actions = el('div', { class: 'actions' });
      var insert = el('button', { type: 'button', 'data-action': 'insert', class: 'primary' }, 'Insert into reply');
      insert.addEventListener('click', function () { self.insert(); });
      actions.appendChild(insert);
      root.appendChild(actions);

      var form = el('form', { 'data-role': 'feedback', class: 'feedback' });
      form.appendChild(el('label', { for: 'sidecar-reason' }, 'Reason (optional)'));
      var reason = el('input', { id: 'sidecar-reason', name: 'reason', maxlength: '500', autocomplete: 'off' });
      form.appendChild(reason);
      [['sent_as_is', 'Used it'], ['edited', 'Used, edited'], ['rejected', 'Not used']].forEach(function (v) {
        var b = el('button', { type: 'button', 'data-verdict': v[0] }, v[1]);
        b.addEventListener('click', function () { self.feedback(v[0], reason.value); });
        form.appendChild(b);
      });
      form.addEventListener('submit', function (e) { e.preventDefault(); });
      root.appendChild(form);
    }
    if (s.verdict) root.appendChild(el('p', { 'data-role': 'verdict', class: 'verdict' }, 'Verdict: ' + (VERDICT_TEXT[s.verdict] || s.verdict)));
    self.status('');
  };

  Panel.prototype.insert = function () {
    var self = this;
    var s = self.current;
    if (!s || !s.draft) return Promise.resolve();
    return Promise.resolve(self.adapter.insert(s.draft)).then(function () {
      // Shown once the sidecar has counted the insertion (it is a signal in the acceptance report).
      return self.adapter.inserted(s.id).then(function () {
        self.status('Inserted into the reply.', 'ok');
      }, function (err) {
        self.status('Inserted, but the sidecar did not record it: ' + message(err), 'error');
      });
    }, function (err) { self.status('Could not insert: ' + message(err), 'error'); });
  };

  Panel.prototype.feedback = function (verdict, reason) {
    var self = this;
    var s = self.current;
    if (!s) return Promise.resolve();
    var trimmed = (reason || '').trim();
    return self.adapter.feedback(s.id, verdict, trimmed ? trimmed : null).then(function () {
      s.verdict = verdict;
      self.render(s);
      self.status('Thanks, feedback saved.', 'ok');
    }, function (err) { self.status('Feedback not saved: ' + message(err), 'error'); });
  };

  global.SidecarPanel = {
    mount: function (root, adapter) { var p = new Panel(root, adapter); p.refresh(); return p; }
  };
})(window);
