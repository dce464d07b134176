import { MongoBulkWriteError } from 'mongodb';
import { describe, expect, it } from 'vitest';
import { testMongo } from '@genstream/testing';

interface GeneratedDoc {
  _id: string;
  userId: number;
  title: string;
}

describe('MongoDB-wire round trip (official driver against the real server)', () => {
  it('inserts documents and finds them by a filter', async () => {
    await using mongo = await testMongo('roundtrip');
    const collection = mongo.db.collection<GeneratedDoc>('aiGenerated');
    const docs = [1, 2, 3, 4].map((n) => ({ _id: `content-${n}`, userId: n % 2, title: `title ${n}` }));
    const result = await collection.insertMany(docs, { ordered: false });
    expect(result.insertedCount).toBe(4);

    const evenUsers = await collection.find({ userId: 0 }).sort({ _id: 1 }).toArray();
    expect(evenUsers).toEqual([docs[1], docs[3]]);
  });

  it('reports duplicate _ids of an unordered insert per document and still writes the new ones', async () => {
    await using mongo = await testMongo('duplicates');
    const collection = mongo.db.collection<GeneratedDoc>('aiGenerated');
    await collection.insertOne({ _id: 'content-1', userId: 1, title: 'first' });

    const error = await collection
      .insertMany(
        [
          { _id: 'content-1', userId: 1, title: 'again' },
          { _id: 'content-2', userId: 2, title: 'new' },
        ],
        { ordered: false },
      )
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(MongoBulkWriteError);
    expect((error as MongoBulkWriteError).writeErrors).toMatchObject([{ code: 11000 }]);
    expect(await collection.countDocuments()).toBe(2);
    expect(await collection.findOne({ _id: 'content-1' })).toMatchObject({ title: 'first' });
  });
});
