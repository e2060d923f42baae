// npm run db:migrate: apply the committed migrations to DATABASE_PATH (npm start does this too).
import { databasePath, getDb, closeDb } from '../db';

getDb();
closeDb();
console.log(`已迁移：${databasePath()}`);
