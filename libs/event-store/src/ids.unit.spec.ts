import { isUuidV7, newId } from './ids';

describe('newId', () => {
  it('makes UUIDv7 ids that sort by creation time', () => {
    const ids = Array.from({ length: 1000 }, () => newId());
    expect(ids.every(isUuidV7)).toBe(true);
    expect(new Set(ids).size).toBe(1000);
    expect([...ids].sort()).toEqual(ids);
  });
});
