package org.tribuo.usae.report;

/**
 * One picture of an image panel ({@link HtmlReport#images}): a PNG embedded as a data URI, with a caption.
 *
 * @param caption what the picture shows (e.g. the model name).
 * @param png     the encoded PNG bytes.
 */
public record ImageTile(String caption, byte[] png) {
    /** Checks the PNG signature, so a panel never embeds something a browser cannot show. */
    public ImageTile {
        if (png.length < 8 || (png[0] & 0xff) != 0x89 || png[1] != 'P' || png[2] != 'N' || png[3] != 'G') {
            throw new IllegalArgumentException("image tile '" + caption + "': not PNG bytes");
        }
    }
}
