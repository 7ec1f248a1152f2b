/**
 * The {@code usae} command line.
 */
package org.tribuo.usae.cli;
