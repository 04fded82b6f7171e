/* The GraphiQL explorer of the public API: GraphiQL and React served by the gateway from node_modules
   (no CDN), the example operations of docs/examples as preset tabs, and the schema from the gateway
   itself when introspection is off. */
'use strict';

async function start() {
  const status = document.getElementById('status');
  try {
    const setup = await (await fetch('setup.json')).json();
    const props = {
      fetcher: GraphiQL.createFetcher({ url: new URL(setup.endpoint, location.href).href }),
      defaultTabs: setup.examples.map((example) => ({
        query: example.query,
        variables: example.variables ? JSON.stringify(example.variables, null, 2) : undefined,
      })),
      defaultEditorToolsVisibility: 'variables',
      // API keys typed into the headers editor stay in this tab's memory, never in the browser's storage.
      shouldPersistHeaders: false,
      // Edited tabs last as long as the browser tab; a new one starts from the presets again.
      storage: window.sessionStorage,
    };
    // GraphiQL 3.9 opens the first preset tab with its query but without its variables: hand them over
    // on a first visit (later visits restore the tabs as they were left).
    if (setup.examples[0] && !sessionStorage.getItem('graphiql:tabState')) {
      props.variables = props.defaultTabs[0].variables;
    }
    if (!setup.introspection) {
      // The gateway answers no introspection here: it serves its public schema as SDL instead.
      const response = await fetch('schema.graphql');
      if (!response.ok) throw new Error(`schema.graphql: HTTP ${response.status}`);
      props.schema = GraphiQL.GraphQL.buildSchema(await response.text());
    }
    ReactDOM.createRoot(document.getElementById('graphiql')).render(React.createElement(GraphiQL, props));
    status.textContent = '';
    document.body.dataset.ready = 'true';
  } catch (error) {
    status.textContent = `Не удалось загрузить: ${error.message}`;
    document.body.dataset.ready = 'failed';
  }
}

void start();
