/**
 * One vault, many OS processes: the OS process that owns a vault (has its RocksDB open for writing) serves every
 * other process of the same user over a Unix domain socket, and those processes get a {@link
 * dev.tablevault.api.Vault} that forwards each call to it. {@code VaultServer} is the owner's side (one thread per
 * connection, each call run by the owner's real vault, so locks, group commit and process logs are the owner's);
 * {@code RemoteVault} the other side (a pool of connections; when the owner goes away it takes ownership through
 * the front's {@link dev.tablevault.engine.remote.RemoteVault.TakeOver} or reconnects to whoever did).
 * {@code Wire} frames bytes (length-prefixed, size-limited), {@code Messages} encodes calls and results as JSON,
 * {@code RowBatches} encodes rows with the cell chunk encoding, {@code RemoteErrors} carries exceptions, and
 * {@code OwnerSocket} says where the socket is. An execution asked for by a client runs in the owner and calls the
 * client back for the builder code it registered: {@code CallerBuilders} in the owner, {@code CallerRuns} and
 * {@code CallerContext} in the client ({@code Executions} makes the call). The protocol is described in
 * docs/ARCHITECTURE.md.
 *
 * <p>May use {@code store} (the cell chunk encoding), {@code exec} (a builder spec's code name, the {@code
 * CallerCode} seam, the row checks), {@code process} (runner identity, the crash of a runner) and the API; the
 * front ({@code TableVault}) starts the server and the client and never the other way round.
 *
 * <p>Thread safety: {@code VaultServer} and {@code RemoteVault} are thread safe; a {@code Wire} is used by one
 * thread at a time except for {@code VaultServer}'s close, which writes under the wire's lock.
 */
package dev.tablevault.engine.remote;
