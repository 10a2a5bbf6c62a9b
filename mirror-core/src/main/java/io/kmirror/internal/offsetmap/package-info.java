/** The offset map: per mirrored partition, where source offsets landed on the destination. Not API. */
package io.kmirror.internal.offsetmap;
