import type { HostCapabilities } from './index';

/** The host capabilities back-end tests use: no dialog, no data channel transport. */
export const hostForTests: HostCapabilities = {
  host: 'harness',
  pickFolder: async () => null,
  dataChannel: () => ({ baseUrl: 'http://127.0.0.1/data', token: null }),
};
