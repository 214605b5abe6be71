/**
 * The listening side both simulated adb endpoints share: a TCP server on loopback (port 0 = any
 * free one) that keeps its open sockets, so closing it, or pulling a phone's cable, cuts them too.
 */
import net from 'node:net';

export interface TrackedListener {
  address: net.AddressInfo;
  /** Every socket still open. */
  sockets: ReadonlySet<net.Socket>;
  /** Destroys every open socket, then stops listening. */
  close(): Promise<void>;
}

/** `onSocket` gets each new connection already tracked; a socket error just drops that socket. */
export async function listenTracked(onSocket: (sock: net.Socket) => void, o: { host?: string; port?: number }): Promise<TrackedListener> {
  const sockets = new Set<net.Socket>();
  const server = net.createServer((sock) => {
    sockets.add(sock);
    sock.on('close', () => sockets.delete(sock));
    sock.on('error', () => sock.destroy());
    onSocket(sock);
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(o.port ?? 0, o.host ?? '127.0.0.1', () => resolve());
  });
  return {
    address: server.address() as net.AddressInfo,
    sockets,
    close: () =>
      new Promise<void>((resolve) => {
        for (const s of sockets) s.destroy();
        server.close(() => resolve());
      }),
  };
}
