/**
 * The test kit's implementation: not API. Its types are public only so that the kit's public
 * packages can share them; they may change in any release without notice.
 */
package io.kmirror.testkit.internal;
