/** TEMPORARY copy of the storage SPI until it lands in {@code store}; the PostgreSQL backend codes against it. */
package dev.tablevault.engine.store.spi;
