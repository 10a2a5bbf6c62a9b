/** Not API: kmirror's implementation; may change in any release. */
package io.kmirror.internal.control;
