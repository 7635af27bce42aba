/** The EPCISQueryDocument that answers a query (a page of results, a subscription delivery). */
export const EPCIS_CONTEXT = 'https://ref.gs1.org/standards/epcis/epcis-context.jsonld';

export function queryDocumentOf(events: unknown[], queryName = 'SimpleEventQuery') {
  return {
    '@context': [EPCIS_CONTEXT],
    type: 'EPCISQueryDocument',
    schemaVersion: '2.0',
    creationDate: new Date().toISOString(),
    epcisBody: { queryResults: { queryName, resultsBody: { eventList: events } } },
  };
}
