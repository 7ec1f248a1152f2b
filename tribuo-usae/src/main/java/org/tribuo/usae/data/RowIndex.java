package org.tribuo.usae.data;

/**
 * Which input and token position each row came from, so metrics can group tokens by input.
 * Stored on disk as {@code row_index.npy}, int64 {@code [rows x 2]}: (input id, token position).
 */
public interface RowIndex {
    /** @return rows covered (equals the activation set's rows). */
    long rows();

    /** @param row row id. @return the id of the input (sentence, image) the row came from. */
    long inputId(long row);

    /** @param row row id. @return the token position within its input. */
    long position(long row);

    /**
     * @param inputIds  per-row input ids.
     * @param positions per-row token positions, same length.
     * @return an in-memory index.
     */
    static RowIndex of(long[] inputIds, long[] positions) {
        if (inputIds.length != positions.length) {
            throw new IllegalArgumentException("row index: " + inputIds.length + " input ids but " + positions.length + " positions");
        }
        long[] ids = inputIds.clone();
        long[] pos = positions.clone();
        return new RowIndex() {
            @Override
            public long rows() {
                return ids.length;
            }

            @Override
            public long inputId(long row) {
                return ids[Math.toIntExact(row)];
            }

            @Override
            public long position(long row) {
                return pos[Math.toIntExact(row)];
            }
        };
    }
}
