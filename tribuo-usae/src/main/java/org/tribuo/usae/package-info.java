/**
 * Universal Sparse Autoencoders on Tribuo: one sparse concept dictionary shared by several networks.
 */
package org.tribuo.usae;
