/**
 * Runnable examples of the library used from Java, each a {@code main} that runs on small data (docs/examples.md;
 * {@code ./usae example <name>} runs them). They are read as much as run: each does one thing a user does next.
 */
package org.tribuo.usae.examples;
