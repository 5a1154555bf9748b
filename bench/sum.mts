import { summarizeProfile } from './src/cpuprofile.js';
console.log(summarizeProfile(process.argv[2]!, 40));
