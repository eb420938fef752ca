/**
 * The reference language: {@code <<table(version).{columns}[conditions]>>} parsed ({@code Ref}), string
 * arguments holding references ({@code Template}, {@code Args}) and their evaluation ({@code Resolver})
 * against tables seen through {@code RefSource} and {@code RefTable}. Uses only the public API.
 *
 * <p>Thread safety: parsed references and arguments are immutable; a {@code Resolver} is thread safe.
 */
package dev.tablevault.engine.ref;
