/**
 * Implementation details: the batch pipeline, the default transformer and tagger, provider look-up. Public only so
 * that other packages of this library can reach them; not API, and changed without notice.
 */
package dev.tickeretl.internal;
