/*
 * Freshdesk ticket sidebar (FDK platform 3): wires the shared panel (sidecar-panel.js) to the Freshworks client. Every
 * sidecar call is a request template (config/requests.json) run by client.request.invokeTemplate, so the secure iparam
 * token is filled in by the platform and never reaches this page.
 */
(function () {
  'use strict';

  function parsed(response) {
    var body = response && response.response;
    if (typeof body !== 'string') return body || null;
    return body ? JSON.parse(body) : null;
  }

  function start(client) {
    function ticketId() {
      return client.data.get('ticket').then(function (data) { return String(data.ticket.id); });
    }

    var panel = SidecarPanel.mount(document.getElementById('sidecar'), {
      latest: function () {
        return ticketId().then(function (id) {
          return client.request.invokeTemplate('getLatestSuggestion', { context: { ticket: id } });
        }).then(parsed, function (err) {
          if (err && err.status === 404) return null;
          throw err;
        });
      },
      insert: function (text) { return client.interface.trigger('setValue', { id: 'editor', text: text }); },
      inserted: function (id) {
        return client.request.invokeTemplate('postSuggestionInserted', {
          context: { id: id }, body: JSON.stringify({ app: 'freshdesk' })
        }).then(parsed);
      },
      feedback: function (id, verdict, reason) {
        return client.request.invokeTemplate('postSuggestionFeedback', {
          context: { id: id }, body: JSON.stringify({ verdict: verdict, reason: reason })
        }).then(parsed);
      }
    });

    client.events.on('app.activated', function () { panel.refresh(); });
    client.events.on('ticket.propertiesUpdated', function () { panel.refresh(); });
  }

  app.initialized().then(start);
})();
