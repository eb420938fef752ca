/**
 * Every record the engine persists ({@code Records}) and their encoding with Kryo ({@code Codec}): a format
 * tag, then the registered class id. Uses nothing else of the engine.
 *
 * <p>Thread safety: records are immutable; {@code Codec} is thread safe (Kryo instances are pooled).
 */
package dev.tablevault.engine.codec;
