/*
 * Zendesk ticket sidebar: wires the shared panel (sidecar-panel.js) to ZAF. Every sidecar call goes through
 * client.request with secure: true, so Zendesk's proxy puts the secure setting {{setting.token}} into the header: the
 * token is never in this page.
 */
(function () {
  'use strict';
  var client = ZAFClient.init();
  var settingsPromise = client.metadata().then(function (meta) {
    return { base: String(meta.settings.sidecar_url || '').replace(/\/+$/, '') };
  });

  function call(method, path, body) {
    return settingsPromise.then(function (settings) {
      var options = {
        url: settings.base + path,
        type: method,
        dataType: 'json',
        headers: { Authorization: 'Bearer {{setting.token}}' },
        secure: true,
        cors: false
      };
      if (body !== undefined) {
        options.contentType = 'application/json';
        options.data = JSON.stringify(body);
      }
      return client.request(options);
    });
  }

  function ticketId() {
    return client.get('ticket.id').then(function (data) { return String(data['ticket.id']); });
  }

  var panel = SidecarPanel.mount(document.getElementById('sidecar'), {
    latest: function () {
      return ticketId().then(function (id) {
        return call('GET', '/api/suggestions/latest?helpdesk=zendesk&ticket=' + encodeURIComponent(id));
      }).then(null, function (err) {
        if (err && err.status === 404) return null;
        throw err;
      });
    },
    insert: function (text) { return client.invoke('ticket.editor.insert', text); },
    inserted: function (id) { return call('POST', '/api/suggestions/' + encodeURIComponent(id) + '/inserted', { app: 'zendesk' }); },
    feedback: function (id, verdict, reason) {
      return call('POST', '/api/suggestions/' + encodeURIComponent(id) + '/feedback', { verdict: verdict, reason: reason });
    }
  });

  client.invoke('resize', { width: '100%', height: '420px' });
  client.on('ticket.updated', function () { panel.refresh(); });
  client.on('ticket.save', function () { panel.refresh(); return true; });
})();
