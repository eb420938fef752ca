/**
 * The builders every vault knows by name ({@code Builtins}: range, random, external, template, copy, csv, and
 * {@code NamedBuiltin} providers from other modules such as {@code arrow}),
 * the CSV loader behind {@code csv} ({@code CsvLoad}) and a strict UTF-8 reader ({@code Utf8Reader}) that the
 * CLI shares.
 *
 * <p>Uses only the public API ({@code dev.tablevault.api}); the engine and the tools use it.
 *
 * <p>Thread safety: the builders are stateless and thread safe; a {@code Utf8Reader} is used by one thread.
 */
package dev.tablevault.engine.builtin;
