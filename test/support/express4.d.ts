// Express 4, installed under the alias `express4`, typed like Express 5 is enough for tests.
declare module 'express4' {
  import express = require('express')
  export = express
}
